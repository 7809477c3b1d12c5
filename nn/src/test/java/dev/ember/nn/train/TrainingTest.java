package dev.ember.nn.train;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.testing.TestBackends;
import dev.ember.nn.testing.BackendTest;
import dev.ember.nn.testing.Csv;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** End-to-end trainings whose outcome is known, and the memory they leave behind. */
class TrainingTest extends BackendTest {

    private Sequential circlesNet(long seed) {
        Sequential model = new Sequential(
                new Dense(2, 10).kernelInitializer(Initializers.heNormal()), Activation.relu(),
                new Dense(5).kernelInitializer(Initializers.heNormal()), Activation.relu(),
                new Dense(1).kernelInitializer(Initializers.heNormal()));
        model.backend(backend()).seed(seed);
        return model;
    }

    @Test
    public void aThreeLayerNetworkLearnsConcentricCircles() {
        Dataset train = Csv.resource("circles_train.csv");
        Dataset test = Csv.resource("circles_test.csv");
        try (Sequential model = circlesNet(3)) {
            model.compile(new Adam(0.01), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
            History h = model.fit(train, FitOptions.defaults().epochs(300).batchSize(64).validation(test)
                    .shuffle(Shuffler.seeded(10)).progress(false));
            Map<String, Double> result = model.evaluate(test, 100);
            assertThat(result.get("accuracy")).as(h.toString()).isGreaterThanOrEqualTo(0.95);
            assertThat(h.get("loss").get(h.epochs() - 1)).isLessThan(h.get("loss").get(0));
            assertThat(h.last("val_accuracy")).isEqualTo(result.get("accuracy"));
        }
    }

    @Test
    public void theSameSeedGivesTheSameLossCurve() {
        Dataset train = Csv.resource("circles_train.csv");
        double[] a;
        double[] b;
        try (Sequential m = circlesNet(7)) {
            m.compile(new Sgd(0.1), Losses.binaryCrossEntropy());
            a = m.fit(train, FitOptions.defaults().epochs(5).batchSize(32).progress(false)).get("loss").stream()
                    .mapToDouble(Double::doubleValue).toArray();
        }
        try (Sequential m = circlesNet(7)) {
            m.compile(new Sgd(0.1), Losses.binaryCrossEntropy());
            b = m.fit(train, FitOptions.defaults().epochs(5).batchSize(32).progress(false)).get("loss").stream()
                    .mapToDouble(Double::doubleValue).toArray();
        }
        assertThat(a).containsExactly(b);
    }

    @Test
    public void aLongFitLeavesNoLiveBuffers() {
        // 10 000 steps: 500 epochs of 20 mini-batches, with dropout, batch norm, L2 and validation
        Dataset train = Csv.resource("circles_train.csv").slice(0, 200);
        Dataset test = Csv.resource("circles_test.csv");
        long before = liveBuffers();
        try (Sequential model = new Sequential(new Dense(2, 8), new BatchNorm(), Activation.tanh(),
                new Dropout(0.9), new Dense(1))) {
            model.backend(backend()).seed(1).regularization(new L2Regularization(0.01));
            model.compile(new Adam(0.01), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
            History h = model.fit(train, FitOptions.defaults().epochs(500).batchSize(10).validation(test)
                    .progress(false));
            assertThat(model.steps()).isEqualTo(10_000);
            assertThat(h.epochs()).isEqualTo(500);
            model.predict(new double[][] {{0.1, 0.2}});
        }
        assertThat(liveBuffers()).isEqualTo(before);
    }

    @Test
    public void aDivergingLossStopsTrainingNamingEpochAndStep() {
        Dataset train = Csv.resource("circles_train.csv");
        try (Sequential model = new Sequential(new Dense(2, 4).kernelInitializer(Initializers.randomNormal(1e3)),
                Activation.relu(), new Dense(1).kernelInitializer(Initializers.randomNormal(1e3)))) {
            model.backend(backend()).dtype(DType.F32);
            model.compile(new Sgd(1e6), Losses.meanSquaredError());
            assertThatThrownBy(() -> model.fit(train, FitOptions.defaults().epochs(50).batchSize(30).progress(false)))
                    .isInstanceOf(NonFiniteLossException.class).hasMessageContaining("epoch").hasMessageContaining("step");
        }
    }

    @Test
    public void aDivergingLossCanWarnInstead() {
        Dataset train = Csv.resource("circles_train.csv");
        try (Sequential model = new Sequential(new Dense(2, 4).kernelInitializer(Initializers.randomNormal(1e3)),
                Activation.relu(), new Dense(1).kernelInitializer(Initializers.randomNormal(1e3)))) {
            model.backend(backend());
            model.compile(new Sgd(1e6), Losses.meanSquaredError());
            History h = model.fit(train, FitOptions.defaults().epochs(3).batchSize(30).progress(false)
                    .onNonFiniteLoss(FitOptions.NonFinite.WARN));
            assertThat(h.epochs()).isEqualTo(3);
        }
    }

    @Test
    public void theGradientNormMonitorSamplesEveryLayerAndFlags() {
        Dataset train = Csv.resource("circles_train.csv");
        GradientNormMonitor normal = new GradientNormMonitor(5, 1e-7, 1e3);
        GradientNormMonitor strict = new GradientNormMonitor(1, 1e-12, 1e-9);
        try (Sequential model = circlesNet(2)) {
            model.observeGradients(normal).observeGradients(strict);
            model.compile(new Sgd(0.1), Losses.binaryCrossEntropy());
            model.fit(train, FitOptions.defaults().epochs(2).batchSize(30).progress(false));
        }
        // 20 steps; sampled at steps 1, 6, 11, 16; three dense layers each
        assertThat(normal.samples()).hasSize(12);
        assertThat(normal.latest().keySet()).containsExactly("dense_0", "dense_2", "dense_4");
        assertThat(normal.flagged()).isEmpty();
        assertThat(strict.flagged()).hasSize(60).allMatch(s -> s.status() == GradientNormMonitor.Status.EXPLODING);
        assertThat(strict.report()).contains("EXPLODING");
    }

    @Test
    public void theGradientNormMonitorReadsNormsBelowTheSquareRootOfF32Range() {
        // 1e-25 squared is 1e-50, below F32's smallest value: summed in F32 the norm would read 0
        GradientNormMonitor monitor = new GradientNormMonitor();
        try (Variable w = new Variable("dense_0/kernel", Tensor.zeros(backend(), DType.F32, 4, 4));
             Tensor g = Tensor.full(backend(), DType.F32, 1e-25, 4, 4)) {
            monitor.observe(1, List.of(w), List.of(g));
        }
        assertThat(monitor.latest().get("dense_0")).isCloseTo(4e-25, within(1e-31));
        assertThat(monitor.flagged()).singleElement()
                .matches(s -> s.status() == GradientNormMonitor.Status.VANISHING);
    }

    @Test
    public void theLossCurveMatchesTheCpuBackend() {
        // same seed on two backends: Philox initial weights and dropout masks are identical, so the
        // F32 loss curves agree up to rounding (on cpu itself this checks the run is reproducible)
        Dataset train = Csv.resource("circles_train.csv");
        double[][] curves = new double[2][];
        dev.ember.core.spi.Backend[] backends = {backend(), TestBackends.byName("cpu")};
        for (int i = 0; i < 2; i++) {
            try (Sequential m = new Sequential(new Dense(2, 8).kernelInitializer(Initializers.heNormal()),
                    Activation.relu(), new Dropout(0.8), new Dense(1))) {
                m.backend(backends[i]).seed(11);
                m.compile(new Adam(0.01), Losses.binaryCrossEntropy());
                curves[i] = m.fit(train, FitOptions.defaults().epochs(10).batchSize(32).progress(false))
                        .get("loss").stream().mapToDouble(Double::doubleValue).toArray();
            }
        }
        assertThat(curves[0]).containsExactly(curves[1], within(1e-4));
    }
}
