package dev.ember.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

/** The serving report's options, ratios and table from hand-made rows, and the rows of a tiny real run: no timing. */
class ServingComparisonTest {
    @TempDir
    Path dir;

    static ServingComparison.Report report() {
        return new ServingComparison.Report("AMD EPYC, 2 logical processors, Linux amd64", List.of(
                new ServingResult(1, 1, "ember", "predictInto", "cpu", 10, 0),
                new ServingResult(1, 1, "ember", "predict", "cpu", 40, 4096),
                new ServingResult(1, 1, "numpy", "forward", "cpu", 20, Double.NaN),
                new ServingResult(256, 1, "ember", "predictInto", "cpu", 500, 0.25)),
                List.of(TrainStepComparisonTest.NUMPY, TrainStepComparisonTest.NO_TORCH));
    }

    @Test
    void speedupIsNumpysTimeOverTheRowsAtTheSameBatchAndThreads() {
        ServingComparison.Report r = report();
        assertThat(r.speedupVsNumpy(r.results().get(0))).hasValue(2.0);
        assertThat(r.speedupVsNumpy(r.results().get(1))).hasValue(0.5);
        assertThat(r.speedupVsNumpy(r.results().get(2))).hasValue(1.0);
        assertThat(r.speedupVsNumpy(r.results().get(3))).as("no numpy row at batch 256").isEmpty();
    }

    @Test
    void tableNamesTheMachineTheColumnsAndWhyABaselineIsMissing() {
        String table = ServingComparison.format(report());

        assertThat(table.lines().findFirst().orElseThrow()).isEqualTo("machine: AMD EPYC, 2 logical processors, Linux amd64");
        assertThat(table.lines().skip(1).findFirst().orElseThrow())
                .contains("batch", "threads", "engine", "api", "us/call", "B/call", "x numpy");
        assertThat(table).containsPattern(" +1 +1 ember +predictInto +cpu +10\\.0 +0 +2\\.00")
                .containsPattern(" +1 +1 ember +predict +cpu +40\\.0 +4096 +0\\.50")
                .containsPattern(" +1 +1 numpy +forward +cpu +20\\.0 +- +1\\.00")
                .containsPattern(" +256 +1 ember +predictInto +cpu +500\\.0 +0 +-")
                .contains("numpy, 1 thread(s): numpy 2.0, OpenBLAS [OPENBLAS_NUM_THREADS=1")
                .contains("pytorch, 1 thread(s): unavailable: python3: PyTorch is not installed");
    }

    @Test
    void optionsAreCheckedWithOneLineNamingTheOptionAndValue() {
        assertThat(new ServingComparison.Options("cpu", List.of(1, 256), List.of(1), 3).baselines())
                .containsExactly(Baseline.NUMPY_FORWARD, Baseline.TORCH_FORWARD);
        assertThatThrownBy(() -> options(List.of(1, 0), List.of(1), 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bench serve: batch sizes (--batches) must be between 1 and 65536, got 0");
        assertThatThrownBy(() -> options(List.of(65537), List.of(1), 3, 0))
                .hasMessageEndingWith("got 65537");
        assertThatThrownBy(() -> options(List.of(), List.of(1), 3, 0))
                .hasMessage("bench serve: --batches and --threads must not be empty");
        assertThatThrownBy(() -> options(List.of(1), List.of(-2), 3, 0))
                .hasMessage("bench serve: thread counts (--threads) must be >= 1, got -2");
        assertThatThrownBy(() -> options(List.of(1), List.of(1), 0, 0))
                .hasMessage("bench serve: --rounds must be >= 1, got 0");
        assertThatThrownBy(() -> options(List.of(1), List.of(1), 1, Double.NaN))
                .hasMessage("bench serve: --warmup seconds must be finite and >= 0, got NaN");
        assertThatThrownBy(() -> options(List.of(1), List.of(1), 1, -1))
                .hasMessageEndingWith("got -1.0");
    }

    private static ServingComparison.Options options(List<Integer> batches, List<Integer> threads, int rounds,
                                                     double warmUp) {
        return new ServingComparison.Options("cpu", batches, threads, rounds, warmUp, List.of());
    }

    @Test
    void aTinyRunGivesEveryApiAndBaselineARowPerBatch() throws IOException {
        // a stand-in for numpy that answers "BATCH REPS" with BATCH microseconds and reports the requests it got
        Path requests = dir.resolve("requests");
        Path python = dir.resolve("python-fake");
        Files.writeString(python, """
                #!/bin/sh
                echo 'ready: {"summary": "fake numpy"}'
                while read batch reps; do echo "$batch $reps" >> %s; echo "${batch}e-6"; done
                """.formatted(requests));
        assertThat(python.toFile().setExecutable(true)).isTrue();
        Baseline fake = new Baseline("numpy", "numpy_forward.py", List.of(python.toString()));
        List<String> progress = new ArrayList<>();

        ServingComparison.Report report = ServingComparison.run(
                new ServingComparison.Options("cpu", List.of(64, 128), List.of(1), 1, 0, List.of(fake)), progress::add);

        assertThat(report.machine()).isEqualTo(Machine.describe());
        assertThat(report.baselines()).singleElement().satisfies(b -> assertThat(b.available()).isTrue());
        assertThat(report.results()).extracting(ServingResult::batch, ServingResult::engine, ServingResult::api)
                .containsExactly(
                        tuple(64, "ember", "predictInto"),
                        tuple(64, "ember", "predict"),
                        tuple(64, "numpy", "forward"),
                        tuple(128, "ember", "predictInto"),
                        tuple(128, "ember", "predict"),
                        tuple(128, "numpy", "forward"));
        for (ServingResult r : report.results()) {
            assertThat(r.threads()).isEqualTo(1);
            assertThat(r.backend()).isEqualTo("cpu");
            assertThat(r.micros()).isPositive();
            if (r.engine().equals("ember")) {
                assertThat(r.bytesPerCall()).isNotNaN().isNotNegative();
            } else {
                assertThat(r.bytesPerCall()).isNaN();
                assertThat(r.micros()).as("the baseline's answer for this batch").isEqualTo(r.batch(),
                        within(1e-9));
            }
            assertThat(report.speedupVsNumpy(r)).isPresent();
        }
        // one round per batch: "BATCH CALLS"
        assertThat(Files.readAllLines(requests)).satisfiesExactly(
                l -> assertThat(l).matches("64 [1-9][0-9]*"), l -> assertThat(l).matches("128 [1-9][0-9]*"));
        assertThat(progress.getFirst()).isEqualTo("machine: " + report.machine());
        assertThat(progress).anyMatch(l -> l.startsWith("batch 128 threads=1: ember predictInto "));
    }
}
