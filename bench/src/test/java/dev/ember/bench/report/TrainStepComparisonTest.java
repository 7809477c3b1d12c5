package dev.ember.bench.report;

import dev.ember.bench.TrainNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report's table and ratios, from hand-made rows: no timing. */
class TrainStepComparisonTest {
    static final BaselineEnvironment NUMPY = new BaselineEnvironment("numpy", 1, "python3",
            BaselineServer.settings(1), BaselineServer.UNSET, Map.of("summary", "numpy 2.0, OpenBLAS"), null);
    static final BaselineEnvironment NO_TORCH = new BaselineEnvironment("pytorch", 1, "python3 /usr/bin/python3",
            BaselineServer.settings(1), BaselineServer.UNSET, Map.of(), "python3: PyTorch is not installed");

    static TrainStepComparison.Report report() {
        return new TrainStepComparison.Report(List.of(
                new TrainStepResult(TrainNetwork.MLP, 1, "ember", "eager", "cpu", 1000),
                new TrainStepResult(TrainNetwork.MLP, 1, "numpy", "eager", "cpu", 1500),
                new TrainStepResult(TrainNetwork.SMALL, 2, "numpy", "eager", "cpu", 60)),
                List.of(NUMPY, NO_TORCH));
    }

    @Test
    void ratioIsTimeOverEmberEagersAtTheSameNetworkAndThreads() {
        TrainStepComparison.Report r = report();
        assertThat(r.timeVsEmberEager(r.results().get(0))).hasValue(1.0);
        assertThat(r.timeVsEmberEager(r.results().get(1))).hasValue(1.5);
        assertThat(r.timeVsEmberEager(r.results().get(2))).as("no Ember row for small at 2 threads").isEmpty();
    }

    @Test
    void tableHasEngineAndModeColumnsAndSaysWhyABaselineIsMissing() {
        String table = TrainStepComparison.format(report());

        assertThat(table.lines().findFirst().orElseThrow()).contains("engine", "mode", "us/step", "vs ember");
        assertThat(table).containsPattern("mlp-784-256-128-10 +1 ember +eager +cpu +1000\\.0 +1\\.00")
                .containsPattern("mlp-784-256-128-10 +1 numpy +eager +cpu +1500\\.0 +1\\.50")
                .containsPattern("mlp-2-5-2-1 +2 numpy +eager +cpu +60\\.0 +-")
                .contains("numpy, 1 thread(s): numpy 2.0, OpenBLAS [OPENBLAS_NUM_THREADS=1")
                .contains("pytorch, 1 thread(s): unavailable: python3: PyTorch is not installed");
    }

    @Test
    void defaultOptionsCompareWithNumpyAndPyTorch() {
        var options = new TrainStepComparison.Options("cpu", List.of(TrainNetwork.MLP), List.of(1), 3);
        assertThat(options.baselines()).containsExactly(Baseline.NUMPY_TRAIN, Baseline.TORCH_TRAIN);
        assertThat(Baseline.TORCH_TRAIN.pythons()).as("Debian's python3-torch imports under the system python")
                .contains("/usr/bin/python3");
        assertThatThrownBy(() -> new TrainStepComparison.Options("cpu", List.of(TrainNetwork.MLP), List.of(0), 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
    }
}
