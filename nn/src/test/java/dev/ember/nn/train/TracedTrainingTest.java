package dev.ember.nn.train;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.ops.F;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.GradientClipping;
import dev.ember.nn.optim.Momentum;
import dev.ember.nn.optim.Optimizer;
import dev.ember.nn.schedule.ExponentialDecay;
import dev.ember.nn.testing.BackendTest;
import dev.ember.nn.testing.Csv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code fit} traces its step by default: traced and eager training give the same weights and loss
 * curves (bit for bit where the backend's kernels are deterministic: the CPU and the reference
 * backend), with dropout masks, an Adam step count and a learning-rate schedule that change from
 * step to step, batch norm's running statistics, L2 and gradient clipping all in the trace.
 */
class TracedTrainingTest extends BackendTest {

    /** Bit for bit on the backends whose kernels do not depend on timing; within rounding elsewhere. */
    private void assertSame(String what, double[] eager, double[] traced) {
        if (backendName().equals("cpu") || backendName().equals("reference")) {
            assertThat(traced).as(what).containsExactly(eager);
        } else {
            assertThat(traced).as(what).hasSameSizeAs(eager);
            for (int i = 0; i < eager.length; i++) {
                assertThat(traced[i]).as(what + "[" + i + "]").isCloseTo(eager[i], within(1e-4 + 1e-3 * Math.abs(eager[i])));
            }
        }
    }

    private record Outcome(List<double[]> weights, double[] losses, History history) {
    }

    private Outcome train(DType dtype, boolean traced) {
        Dataset train = Csv.resource("circles_train.csv").slice(0, 200);   // batches of 64, 64, 64 and 8
        try (Sequential model = new Sequential(new Dense(2, 16), new BatchNorm(), Activation.tanh(), new Dropout(0.8),
                new Dense(8), Activation.relu(), new Dense(1))) {
            model.backend(backend()).dtype(dtype).seed(5).regularization(new L2Regularization(0.01));
            Optimizer adam = new Adam(0.02).schedule(new ExponentialDecay(0.9)).clipping(GradientClipping.byGlobalNorm(1));
            model.compile(adam, Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
            History h = model.fit(train, FitOptions.defaults().epochs(4).batchSize(64).shuffle(Shuffler.seeded(3))
                    .progress(false).traced(traced));
            List<double[]> weights = new ArrayList<>();
            for (Variable v : model.variables()) {
                weights.add(v.toDoubleArray());
            }
            assertThat(model.steps()).isEqualTo(16);
            assertThat(adam.iterations()).isEqualTo(16);
            return new Outcome(weights, h.get("loss").stream().mapToDouble(Double::doubleValue).toArray(), h);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    public void tracedAndEagerFitsEndWithTheSameWeightsAndLosses(DType dtype) {
        Outcome eager = train(dtype, false);
        Outcome traced = train(dtype, true);
        assertThat(eager.history().traces()).isZero();
        assertThat(traced.history().traces()).as("one trace per batch shape: 64 and the last 8").isEqualTo(2);
        assertSame("loss per epoch", eager.losses(), traced.losses());
        for (int i = 0; i < eager.weights().size(); i++) {
            assertSame("variable " + i, eager.weights().get(i), traced.weights().get(i));
        }
        assertThat(traced.history().get("accuracy")).isEqualTo(eager.history().get("accuracy"));
    }

    @Test
    public void aModelWithGradientObserversTrainsEagerly() {
        Dataset train = Csv.resource("circles_train.csv").slice(0, 64);
        try (Sequential model = new Sequential(new Dense(2, 4), Activation.relu(), new Dense(1))) {
            model.backend(backend()).seed(1).observeGradients((step, params, grads) -> { });
            model.compile(new Momentum(0.1, 0.9), Losses.binaryCrossEntropy());
            assertThat(model.whyNotTraceable()).contains("gradient observers");
            History h = model.fit(train, FitOptions.defaults().epochs(2).batchSize(32).progress(false));
            assertThat(h.traces()).isZero();
            assertThat(model.steps()).isEqualTo(4);
        }
    }

    /**
     * The {@code tf.function} way: a hand-written step (tape, loss, gradients, update) traced once and
     * replayed, against the same step run eagerly from the same start.
     */
    @Test
    public void aHandWrittenTapeStepTracesAndReplaysLikeTheEagerLoop() {
        double[][] results = new double[2][];
        for (int run = 0; run < 2; run++) {
            boolean traced = run == 1;
            try (Scope _ = Scope.open();
                 Variable w = new Variable("w", randn(1, 3, 4));
                 Variable b = new Variable("b", Tensor.zeros(backend(), DType.F64, 4));
                 Optimizer opt = new Adam(0.05)) {
                List<Variable> vars = List.of(w, b);
                java.util.function.Function<Tensor[], Tensor[]> body = in -> {
                    try (GradientTape tape = new GradientTape()) {
                        Tensor out = F.dense(in[0], w.value(), b.value());
                        Tensor loss = F.mean(F.square(F.sub(F.tanh(out), in[1])));
                        List<Tensor> grads = tape.gradient(loss, vars);
                        opt.apply(vars, grads);
                        grads.forEach(Tensor::close);
                        return new Tensor[] {tape.keep(loss)};
                    }
                };
                TracedFunction step = traced ? Tracing.function("step", body) : null;
                double lossSum = 0;
                for (int i = 0; i < 6; i++) {
                    Tensor x = randn(10 + i, 5, 3);
                    Tensor y = uniform(20 + i, -0.5, 0.5, 5, 4);
                    Tensor[] out = traced ? step.call(x, y) : body.apply(new Tensor[] {x, y});
                    lossSum += out[0].item();
                    out[0].close();
                }
                if (traced) {
                    assertThat(step.traceCount()).isEqualTo(1);
                    step.close();
                }
                assertThat(opt.iterations()).isEqualTo(6);
                double[] wv = w.toDoubleArray();
                results[run] = java.util.Arrays.copyOf(wv, wv.length + 1);
                results[run][wv.length] = lossSum;
            }
        }
        assertSame("weights and loss sum", results[0], results[1]);
    }

    /** Weights built lazily and optimiser moments made on the first step belong to the model, not to a scope around it. */
    @Test
    public void stepsInsideShortScopesKeepTheModelsState() {
        try (Sequential model = new Sequential(new Dense(2, 3), Activation.relu(), new Dense(1));
             Tensor x = randn(3, 4, 2); Tensor y = uniform(4, 0, 1, 4, 1)) {
            model.backend(backend()).dtype(DType.F64).seed(2);
            model.compile(new Adam(0.01), Losses.meanSquaredError());
            for (int step = 0; step < 3; step++) {
                try (Scope _ = Scope.open()) {
                    model.trainStep(x, y).close();
                }
            }
            assertThat(model.steps()).isEqualTo(3);
            assertThat(model.variables()).allSatisfy(v -> assertThat(v.value().isClosed()).isFalse());
        }
    }
}
