package dev.ember.cli.lab;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.MaskSource;
import dev.ember.nn.losses.Loss;
import dev.ember.nn.random.NumpyRandomState;
import dev.ember.nn.schedule.LearningRateSchedule;

import java.util.function.IntToDoubleFunction;

/**
 * The pieces that make a run reproduce the numpy originals of the 2-D experiments exactly
 * ({@code --init-rng numpy}): weights drawn as {@code np.random.seed(3)} then
 * {@code np.random.randn(n_l, n_{l-1}) * scale} layer by layer, dropout masks from
 * {@code np.random.seed(1); np.random.rand(...)} at every forward pass, mini-batch orders from
 * {@code np.random.seed(seed); np.random.permutation(m)} with the seed incremented (before use) per
 * epoch from 10, the cost computed as the numpy code computes it, and its learning-rate decay.
 */
final class NumpyCourse {
    private NumpyCourse() {
    }

    /** How a layer's standard-normal draws are scaled: {@code (values, fanIn)} in place, as numpy would. */
    @FunctionalInterface
    interface Scaling {
        void apply(double[] values, int fanIn);

        static Scaling times(IntToDoubleFunction factor) {
            return (v, fanIn) -> {
                double f = factor.applyAsDouble(fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] * f;
                }
            };
        }

        /** {@code randn(...) / np.sqrt(fan_in)} (a division, as in the original). */
        static Scaling dividedBySqrtFanIn() {
            return (v, fanIn) -> {
                double d = Math.sqrt(fanIn);
                for (int i = 0; i < v.length; i++) {
                    v[i] = v[i] / d;
                }
            };
        }
    }

    /** Kernel initialisers for layers {@code dims[0] -> dims[1] -> ...} from one seeded numpy stream. */
    static Initializer[] weights(long seed, int[] dims, Scaling scaling) {
        NumpyRandomState rng = new NumpyRandomState(seed);
        Initializer[] out = new Initializer[dims.length - 1];
        for (int l = 1; l < dims.length; l++) {
            double[] w = rng.randn(dims[l] * dims[l - 1]);   // W[l] of shape (n_l, n_{l-1}), row-major
            scaling.apply(w, dims[l - 1]);
            out[l - 1] = Initializers.valuesOutByIn(w);
        }
        return out;
    }

    /**
     * Dropout masks of the numpy original: before every forward pass {@code np.random.seed(seed)}, then
     * for each dropout layer in order {@code D = np.random.rand(units, m) < keep}. {@code units} lists
     * the widths of the dropout layers; the mask of layer {@code index} skips the draws of those before.
     */
    static MaskSource masks(long seed, int[] units, int index) {
        return (backend, dtype, shape, keep, call) -> {
            int m = shape.dim(0);
            int n = shape.dim(1);
            if (n != units[index]) {
                throw new IllegalStateException("numpy masks: layer " + index + " has " + n + " units, expected "
                        + units[index]);
            }
            NumpyRandomState rng = new NumpyRandomState(seed);
            for (int i = 0; i < index; i++) {
                for (int k = 0; k < units[i] * m; k++) {
                    rng.nextDouble();
                }
            }
            double[] d = rng.rand(n * m);                       // (units, m) row-major
            double[] mask = new double[m * n];                  // Ember's [m, units]
            for (int u = 0; u < n; u++) {
                for (int e = 0; e < m; e++) {
                    mask[e * n + u] = d[u * m + e] < keep ? 1.0 / keep : 0.0;
                }
            }
            Tensor t = Tensor.of(backend, mask, m, n);
            if (dtype == DType.F64) {
                return t;
            }
            try (t) {
                return t.to(dtype);
            }
        };
    }

    /** {@code np.random.seed(first + epoch); np.random.permutation(m)} (the original's seed 10 is incremented before use: first = 11). */
    static Shuffler shuffler(long first) {
        return (size, epoch) -> new NumpyRandomState(first + epoch).permutation(size);
    }

    /**
     * The original's decay: after epoch {@code i} the rate becomes {@code α0 / (1 + rate·⌊i/interval⌋)},
     * so epoch {@code e ≥ 1} runs with {@code ⌊(e−1)/interval⌋} and epoch 0 with {@code α0}.
     */
    static LearningRateSchedule decayAfterEpoch(double rate, int interval) {
        return (initial, epoch) -> epoch == 0 ? initial : initial / (1 + rate * Math.floorDiv(epoch - 1, interval));
    }

    /**
     * Binary cross-entropy on the logits {@code z} computed as the numpy original computes it from its sigmoid:
     * {@code a = 1/(1+exp(-z))}, {@code logprobs = -log(a)·y + -log(1-a)·(1-y)},
     * {@code cost = nansum(logprobs)/m} — so a saturated sigmoid gives the original's {@code inf}. The
     * gradient is the original's {@code (a - y)/m}.
     */
    static Loss crossEntropy() {
        return new Loss() {
            @Override
            public String name() {
                return "binary_crossentropy";
            }

            @Override
            public Tensor compute(Tensor z, Tensor y) {
                double[] zs = z.toDoubleArray();
                double[] ys = y.toDoubleArray();
                double sum = 0;
                for (int i = 0; i < zs.length; i++) {
                    double a = 1 / (1 + Math.exp(-zs[i]));
                    double lp = -Math.log(a) * ys[i] + -Math.log(1 - a) * (1 - ys[i]);
                    if (!Double.isNaN(lp)) {
                        sum += lp;
                    }
                }
                double invN = 1.0 / zs.length;
                Tensor loss = Tensor.full(z.backend(), z.dtype(), invN * sum);
                return Recorder.record("numpyCrossEntropy", loss, new Tensor[] {z, y}, (g, needed) -> {
                    Tensor dz = null;
                    if (needed[0]) {
                        try (Tensor scale = g.mul(invN); Tensor s = z.sigmoid(); Tensor d = s.sub(y)) {
                            dz = d.mul(scale);
                        }
                    }
                    return new Tensor[] {dz, null};
                });
            }

            @Override
            public Tensor predictions(Tensor z) {
                return z.sigmoid();
            }

            @Override
            public boolean isTraceable() {
                return false;   // the cost is summed on the host, as numpy's nansum does it
            }
        };
    }
}
