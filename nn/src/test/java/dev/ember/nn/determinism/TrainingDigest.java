package dev.ember.nn.determinism;

import dev.ember.core.Backends;
import dev.ember.core.spi.Backend;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Generators;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.GradientClipping;
import dev.ember.nn.train.FitOptions;

import java.util.Map;

/**
 * Trains one small network on the CPU backend and prints a digest of its weights and losses, bit
 * for bit: {@code TrainingDeterminismTest} compares the digests of JVMs whose JIT ran differently.
 * The network touches every kind of kernel a training step uses: GEMM, bias and tanh/ReLU,
 * batch norm, dropout, softmax cross-entropy, L2, global-norm clipping and Adam.
 */
public final class TrainingDigest {
    /** The CPU backend's thread count in every JVM that is compared. */
    static final int THREADS = 2;

    private TrainingDigest() {
    }

    /** The digest of a fresh training run, eager or traced. */
    static String train(Backend cpu, boolean traced) {
        Dataset data = Generators.spirals(600, 3, 0.2, 7);
        try (Sequential model = new Sequential(new Dense(2, 48), new BatchNorm(), Activation.tanh(), new Dropout(0.9),
                new Dense(32), Activation.relu(), new Dense(3))) {
            model.backend(cpu).seed(3).regularization(new L2Regularization(1e-3));
            model.compile(new Adam(0.01).clipping(GradientClipping.byGlobalNorm(5)), Losses.categoricalCrossEntropy());
            var history = model.fit(data, FitOptions.defaults().epochs(4).batchSize(50).shuffle(Shuffler.seeded(1))
                    .progress(false).traced(traced));
            long h = 1125899906842597L;
            for (Variable v : model.variables()) {
                for (float f : v.value().toFloatArray()) {
                    h = 31 * h + Float.floatToRawIntBits(f);
                }
            }
            for (double loss : history.get("loss")) {
                h = 31 * h + Double.doubleToRawLongBits(loss);
            }
            return Long.toHexString(h);
        }
    }

    static Backend backend() {
        return Backends.open("cpu", Map.of("threads", Integer.toString(THREADS)));
    }

    /** Prints {@code eager=DIGEST} and {@code traced=DIGEST}. */
    public static void main(String[] args) {
        try (Backend cpu = backend()) {
            System.out.println("eager=" + train(cpu, false));
            System.out.println("traced=" + train(cpu, true));
        }
    }
}
