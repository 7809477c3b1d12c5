package dev.ember.cli;

import dev.ember.core.BackendStatus;
import dev.ember.core.Backends;
import dev.ember.core.BatchNorm;
import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.MemoryStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code ember info --check}: a small real computation on every available backend, through the
 * public tensor API, compared with a float64 reference computed here on the host: a GEMM, a
 * softmax over logits as large as ±1e4, and one batch-norm training step (forward and backward),
 * each in F32 and F64. A check that throws, leaks a buffer or misses its tolerance is a FAIL with
 * the reason; nothing here lets an exception escape.
 */
final class BackendCheck {
    static final int M = 64;
    static final int K = 48;
    static final int N = 32;
    static final int SOFTMAX_ROWS = 16;
    static final int SOFTMAX_COLS = 37;
    static final int BN_ROWS = 32;
    static final int BN_COLS = 12;
    static final double BN_EPS = 1e-3;
    static final double BN_MOMENTUM = 0.99;

    /** The results, and the memory counters of every backend checked (after its checks). */
    record Outcome(List<CheckResult> results, Map<String, MemoryStats> memory) {
    }

    /** What one computation measured: the largest relative error and the time it took. */
    private record Measurement(double maxRelError, long nanos) {
    }

    @FunctionalInterface
    private interface Computation {
        Measurement run(Backend backend, DType dtype);
    }

    private record Check(String name, String shape, double toleranceF32, double toleranceF64,
                         Computation computation) {
        double tolerance(DType dtype) {
            return dtype == DType.F32 ? toleranceF32 : toleranceF64;
        }
    }

    private static final List<Check> CHECKS = List.of(
            new Check("gemm", M + "x" + K + " * " + K + "x" + N, 1e-5, 1e-12, BackendCheck::gemm),
            new Check("softmax", SOFTMAX_ROWS + "x" + SOFTMAX_COLS + ", logits to ±1e4", 1e-4, 1e-11,
                    BackendCheck::softmax),
            new Check("batchnorm", BN_ROWS + "x" + BN_COLS + ", training step", 1e-4, 1e-10,
                    BackendCheck::batchNorm));

    private BackendCheck() {
    }

    /** Runs every check on every available backend, in the given (priority) order. */
    static Outcome runAll(List<BackendStatus> statuses) {
        List<CheckResult> results = new ArrayList<>();
        Map<String, MemoryStats> memory = new LinkedHashMap<>();
        for (BackendStatus status : statuses) {
            if (!status.available()) {
                continue;
            }
            Backend backend;
            try {
                backend = Backends.byName(status.name());
            } catch (RuntimeException | LinkageError e) {
                results.add(failure(status.name(), "-", "create", "instantiate the backend",
                        Double.NaN, EmberCommand.describe(e)));
                continue;
            }
            results.addAll(run(backend));
            memory.put(status.name(), backend.memory());
        }
        return new Outcome(results, memory);
    }

    /** Every check in F32 and F64 on one backend. */
    static List<CheckResult> run(Backend backend) {
        List<CheckResult> results = new ArrayList<>();
        for (DType dtype : DType.values()) {
            for (Check check : CHECKS) {
                results.add(run(backend, dtype, check));
            }
        }
        return results;
    }

    private static CheckResult run(Backend backend, DType dtype, Check check) {
        double tolerance = check.tolerance(dtype);
        long liveBefore = backend.memory().liveBuffers();
        Measurement m;
        try {
            try (Scope _ = Scope.open()) {
                m = check.computation().run(backend, dtype);
            }
        } catch (RuntimeException | LinkageError | AssertionError e) {
            return failure(backend.name(), dtype.name(), check.name(), check.shape(), tolerance,
                    EmberCommand.describe(e));
        }
        long leaked = backend.memory().liveBuffers() - liveBefore;
        double millis = m.nanos() / 1e6;
        String message = null;
        if (Double.isNaN(m.maxRelError())) {
            message = "result contains NaN";
        } else if (m.maxRelError() > tolerance) {
            message = String.format("max relative error %.3g exceeds tolerance %.1g", m.maxRelError(), tolerance);
        } else if (leaked != 0) {
            message = leaked + " buffer(s) still live after the check's scope closed (leak)";
        }
        return new CheckResult(backend.name(), dtype.name(), check.name(), check.shape(), message == null,
                m.maxRelError(), tolerance, millis, message);
    }

    private static CheckResult failure(String backend, String dtype, String check, String shape, double tolerance,
                                       String message) {
        return new CheckResult(backend, dtype, check, shape, false, null, tolerance, null, message);
    }

    // ------------------------------------------------------------------ the computations

    /** C = A B for A 64x48 and B 48x32; error per element relative to sum_p |a_ip| |b_pj|. */
    private static Measurement gemm(Backend backend, DType dtype) {
        SplittableRandom random = new SplittableRandom(0x5EED_0001L);
        double[] a = uniform(random, M * K, dtype);
        double[] b = uniform(random, K * N, dtype);
        Tensor ta = upload(backend, dtype, a, M, K);
        Tensor tb = upload(backend, dtype, b, K, N);
        long t0 = System.nanoTime();
        double[] c = download(ta.matmul(tb));
        long nanos = System.nanoTime() - t0;

        double worst = 0;
        for (int i = 0; i < M; i++) {
            for (int j = 0; j < N; j++) {
                double exact = 0;
                double magnitude = 0;
                for (int p = 0; p < K; p++) {
                    exact += a[i * K + p] * b[p * N + j];
                    magnitude += Math.abs(a[i * K + p] * b[p * N + j]);
                }
                worst = worse(worst, Math.abs(c[i * N + j] - exact) / Math.max(magnitude, Double.MIN_NORMAL));
            }
        }
        return new Measurement(worst, nanos);
    }

    /**
     * Row-wise softmax of logits that include ±1e4 (a naive exp overflows), rows of near-equal
     * huge values, and ordinary values; error relative to each probability, floored at 1e-6.
     */
    private static Measurement softmax(Backend backend, DType dtype) {
        SplittableRandom random = new SplittableRandom(0x5EED_0002L);
        int rows = SOFTMAX_ROWS;
        int cols = SOFTMAX_COLS;
        double[] x = new double[rows * cols];
        for (int i = 0; i < x.length; i++) {
            x[i] = 3 * random.nextGaussian();
        }
        for (int j = 0; j < cols; j++) {
            x[j] = j == 0 ? 1e4 : j == 1 ? -1e4 : x[j];  // one dominant logit, one vanishing one
            x[cols + j] = 1e4 - j;                      // every logit huge, close together
            x[2 * cols + j] = -1e4 + 0.5 * j;           // every logit hugely negative
        }
        round(x, dtype);
        Tensor tx = upload(backend, dtype, x, rows, cols);
        long t0 = System.nanoTime();
        double[] y = download(tx.softmax());
        long nanos = System.nanoTime() - t0;

        double worst = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                double exact = Math.exp(x[r * cols + j] - max) / sum;
                worst = worse(worst, Math.abs(y[r * cols + j] - exact) / Math.max(exact, 1e-6));
            }
        }
        return new Measurement(worst, nanos);
    }

    /**
     * One training step of batch norm: forward in training mode (output, saved statistics, running
     * averages with the Keras momentum convention) and backward (dx, dgamma, dbeta); error relative
     * to each value, floored at 1.
     */
    private static Measurement batchNorm(Backend backend, DType dtype) {
        SplittableRandom random = new SplittableRandom(0x5EED_0003L);
        int rows = BN_ROWS;
        int cols = BN_COLS;
        double[] x = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = 5 + j + 3 * random.nextGaussian();
            }
        }
        double[] gamma = uniform(random, cols, dtype);
        double[] beta = uniform(random, cols, dtype);
        double[] dy = uniform(random, rows * cols, dtype);
        double[] runningMean = new double[cols];
        double[] runningVar = new double[cols];
        java.util.Arrays.fill(runningVar, 1.0);
        round(x, dtype);

        Tensor tx = upload(backend, dtype, x, rows, cols);
        Tensor tGamma = upload(backend, dtype, gamma, cols);
        Tensor tBeta = upload(backend, dtype, beta, cols);
        Tensor tMean = upload(backend, dtype, runningMean, cols);
        Tensor tVar = upload(backend, dtype, runningVar, cols);
        Tensor tDy = upload(backend, dtype, dy, rows, cols);
        long t0 = System.nanoTime();
        BatchNorm.Forward forward = BatchNorm.training(tx, tGamma, tBeta, tMean, tVar, BN_EPS, BN_MOMENTUM);
        BatchNorm.Gradients grads = BatchNorm.backward(tx, tDy, tGamma, forward);
        double[] y = download(forward.y());
        double[] savedMean = download(forward.savedMean());
        double[] savedInvStd = download(forward.savedInvStd());
        double[] newMean = download(tMean);
        double[] newVar = download(tVar);
        double[] dx = download(grads.dx());
        double[] dgamma = download(grads.dgamma());
        double[] dbeta = download(grads.dbeta());
        long nanos = System.nanoTime() - t0;

        double worst = 0;
        for (int j = 0; j < cols; j++) {
            double mean = 0;
            for (int i = 0; i < rows; i++) {
                mean += x[i * cols + j];
            }
            mean /= rows;
            double var = 0;
            for (int i = 0; i < rows; i++) {
                double d = x[i * cols + j] - mean;
                var += d * d;
            }
            var /= rows; // biased, as batch norm normalises with it
            double invStd = 1 / Math.sqrt(var + BN_EPS);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < rows; i++) {
                double xhat = (x[i * cols + j] - mean) * invStd;
                worst = worse(worst, rel(y[i * cols + j], gamma[j] * xhat + beta[j]));
                sumDy += dy[i * cols + j];
                sumDyXhat += dy[i * cols + j] * xhat;
            }
            for (int i = 0; i < rows; i++) {
                double xhat = (x[i * cols + j] - mean) * invStd;
                double exactDx = gamma[j] * invStd / rows * (rows * dy[i * cols + j] - sumDy - xhat * sumDyXhat);
                worst = worse(worst, rel(dx[i * cols + j], exactDx));
            }
            worst = worse(worst, rel(savedMean[j], mean));
            worst = worse(worst, rel(savedInvStd[j], invStd));
            worst = worse(worst, rel(newMean[j], BN_MOMENTUM * runningMean[j] + (1 - BN_MOMENTUM) * mean));
            worst = worse(worst, rel(newVar[j], BN_MOMENTUM * runningVar[j] + (1 - BN_MOMENTUM) * var));
            worst = worse(worst, rel(dgamma[j], sumDyXhat));
            worst = worse(worst, rel(dbeta[j], sumDy));
        }
        return new Measurement(worst, nanos);
    }

    // ------------------------------------------------------------------ helpers

    /** Uniform values in [-1, 1), rounded to the dtype so the reference sees exactly the backend's inputs. */
    private static double[] uniform(SplittableRandom random, int n, DType dtype) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextDouble(-1, 1);
        }
        round(v, dtype);
        return v;
    }

    private static void round(double[] v, DType dtype) {
        if (dtype == DType.F32) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) v[i];
            }
        }
    }

    private static Tensor upload(Backend backend, DType dtype, double[] values, int... dims) {
        if (dtype == DType.F64) {
            return Tensor.of(backend, values, dims);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.of(backend, f, dims);
    }

    /** Reads a tensor back in its own dtype (no conversion kernel involved), widened to double. */
    private static double[] download(Tensor t) {
        if (t.dtype() == DType.F64) {
            return t.toDoubleArray();
        }
        float[] f = t.toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static double rel(double actual, double exact) {
        return Math.abs(actual - exact) / Math.max(Math.abs(exact), 1.0);
    }

    /** The larger error; NaN (a broken result) wins over everything. */
    private static double worse(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }
}
