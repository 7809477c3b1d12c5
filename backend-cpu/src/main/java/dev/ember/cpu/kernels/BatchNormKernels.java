package dev.ember.cpu.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.ember.cpu.kernels.Simd.D;
import static dev.ember.cpu.kernels.Simd.DL;
import static dev.ember.cpu.kernels.Simd.F;
import static dev.ember.cpu.kernels.Simd.FL;
import static dev.ember.cpu.kernels.Simd.FLOAT_CHAIN;
import static dev.ember.cpu.kernels.Simd.GRAIN;
import static dev.ember.cpu.kernels.Simd.load;

/**
 * Batch normalisation of a row-major {@code rows x cols} matrix, per feature column over the rows.
 *
 * <p>Every pass streams whole rows, vectorised along them. Column statistics are sums over row
 * chunks reduced in parallel and added in chunk order (see {@link Simd#rowChunks}); the
 * element-wise passes split rows. The variance is a second pass around the mean (no
 * {@code E[x^2] - mean^2} cancellation). Per-column scalars are computed in double; F32 column
 * sums flush float partial sums into double every {@link Simd#FLOAT_CHAIN} rows.
 */
public final class BatchNormKernels {
    private final Parallel parallel;

    public BatchNormKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Sums over all rows: {@code sums} runs over row chunks in parallel, chunk {@code k} writing its
     * {@code width} per-column sums (several sums side by side) to {@code [k * width, (k + 1) * width)}
     * of a scratch array, and the chunks' sums are added in chunk order into its first {@code width}
     * elements, which are the result (the array may be longer). {@code args} holds the kernel's own
     * arguments; {@code (partial, rows, chunks)} are appended to them.
     */
    private double[] sumOverRows(int rows, int cols, int width, Kernel sums, Args args) {
        int chunks = Simd.rowChunks(parallel, rows, cols);
        double[] partial = Scratch.local().doubles(Scratch.CALL, chunks * width, false);
        parallel.launch(chunks, 1, sums, args.put(partial).put(rows).put(chunks));
        for (int k = 1; k < chunks; k++) {
            for (int i = 0; i < width; i++) {
                partial[i] += partial[k * width + i];
            }
        }
        return partial;
    }

    private void forRows(int rows, int cols, Kernel body, Args args) {
        parallel.launch(rows, Simd.grain(GRAIN, cols), body, args);
    }

    // ================================================================ F32

    public void training(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                         double eps, double momentum, float[] runMean, int rmOff, float[] runVar, int rvOff,
                         float[] y, int yOff, float[] mean, int mOff, float[] invStd, int sOff) {
        double[] sum = columnSums(rows, cols, x, xOff, null, 0);
        for (int c = 0; c < cols; c++) {
            mean[mOff + c] = (float) (sum[c] / rows);
        }
        double[] deviation = columnSums(rows, cols, x, xOff, mean, mOff);
        float[] scale = Scratch.local().floats(Scratch.CALL, cols, false);
        for (int c = 0; c < cols; c++) {
            double var = deviation[c] / rows;
            runMean[rmOff + c] = (float) (momentum * runMean[rmOff + c] + (1 - momentum) * mean[mOff + c]);
            runVar[rvOff + c] = (float) (momentum * runVar[rvOff + c] + (1 - momentum) * var);
            invStd[sOff + c] = (float) (1.0 / Math.sqrt(var + eps));
            scale[c] = gamma[gOff + c] * invStd[sOff + c];
        }
        normalize(rows, cols, x, xOff, mean, mOff, scale, beta, bOff, y, yOff);
    }

    public void inference(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                          float[] runMean, int rmOff, float[] runVar, int rvOff, double eps, float[] y, int yOff) {
        float[] scale = Scratch.local().floats(Scratch.CALL, cols, false);
        for (int c = 0; c < cols; c++) {
            scale[c] = (float) (gamma[gOff + c] / Math.sqrt(runVar[rvOff + c] + eps));
        }
        normalize(rows, cols, x, xOff, runMean, rmOff, scale, beta, bOff, y, yOff);
    }

    /**
     * {@code dbeta = sum(dy)}, {@code dgamma = sum(dy * xhat)} and
     * {@code dx = gamma * invStd / N * (N * dy - dbeta - xhat * dgamma)}, {@code xhat = (x - mean) * invStd},
     * evaluated as {@code dx = k * dy - kA - kB * (x - mean)} with per-column {@code k = gamma * invStd},
     * {@code kA = k * dbeta / N} and {@code kB = k * invStd * dgamma / N}.
     */
    public void backward(int rows, int cols, float[] x, int xOff, float[] dy, int dyOff, float[] gamma, int gOff,
                         float[] mean, int mOff, float[] invStd, int sOff, float[] dx, int dxOff,
                         float[] dgamma, int dgOff, float[] dbeta, int dbOff) {
        double[] sums = sumOverRows(rows, cols, 2 * cols, GRADIENT_SUMS_F32, parallel.args()
                .put(x).put(xOff).put(dy).put(dyOff).put(mean).put(mOff).put(invStd).put(sOff).put(cols));
        Scratch scratch = Scratch.local();
        float[] k = scratch.floats(Scratch.CALL, cols, false);
        float[] kA = scratch.floats(Scratch.CALL + 1, cols, false);
        float[] kB = scratch.floats(Scratch.CALL + 2, cols, false);
        for (int c = 0; c < cols; c++) {
            double sumDy = sums[c];
            double sumDyXhat = sums[cols + c];
            dbeta[dbOff + c] = (float) sumDy;
            dgamma[dgOff + c] = (float) sumDyXhat;
            double scale = (double) gamma[gOff + c] * invStd[sOff + c];
            k[c] = (float) scale;
            kA[c] = (float) (scale * sumDy / rows);
            kB[c] = (float) (scale * invStd[sOff + c] * sumDyXhat / rows);
        }
        forRows(rows, cols, INPUT_GRADIENT_F32, parallel.args()
                .put(x).put(xOff).put(dy).put(dyOff).put(mean).put(mOff).put(k).put(kA).put(kB).put(dx).put(dxOff)
                .put(cols));
    }

    /** Rows {@code [from, to)}: (x, xOff, dy, dyOff, mean, mOff, k, kA, kB, dx, dxOff, cols). */
    private static final Kernel INPUT_GRADIENT_F32 = (a, from, to) -> {
        float[] x = a.ref(0), dy = a.ref(2), mean = a.ref(4), k = a.ref(6), kA = a.ref(7), kB = a.ref(8);
        float[] dx = a.ref(9);
        int xOff = a.i(1), dyOff = a.i(3), mOff = a.i(5), dxOff = a.i(10), cols = a.i(11);
        int bound = F.loopBound(cols);
        for (int r = from; r < to; r++) {
            int xi = xOff + r * cols;
            int gi = dyOff + r * cols;
            int oi = dxOff + r * cols;
            int c = 0;
            for (; c < bound; c += FL) {
                FloatVector centred = load(x, xi + c).sub(load(mean, mOff + c));
                load(k, c).mul(load(dy, gi + c)).sub(load(kA, c)).sub(load(kB, c).mul(centred))
                        .intoArray(dx, oi + c);
            }
            for (; c < cols; c++) {
                float centred = x[xi + c] - mean[mOff + c];
                dx[oi + c] = k[c] * dy[gi + c] - kA[c] - kB[c] * centred;
            }
        }
    };

    /** Per-column sums of {@code x} over all rows, or with {@code centre} of {@code (x - centre)^2}. */
    private double[] columnSums(int rows, int cols, float[] x, int xOff, float[] centre, int cOff) {
        return sumOverRows(rows, cols, cols, COLUMN_SUMS_F32,
                parallel.args().put(x).put(xOff).put(cols).put(centre).put(cOff));
    }

    /** Row chunks {@code [from, to)}: (x, xOff, cols, centre or null, cOff, partial, rows, chunks). */
    private static final Kernel COLUMN_SUMS_F32 = (a, from, to) -> {
        float[] x = a.ref(0), centre = a.ref(3);
        double[] partial = a.ref(5);
        int xOff = a.i(1), cols = a.i(2), cOff = a.i(4), rows = a.i(6), chunks = a.i(7);
        for (int k = from; k < to; k++) {
            sumColumns(x, xOff, cols, Simd.chunkStart(rows, k, chunks), Simd.chunkStart(rows, k + 1, chunks),
                    centre, cOff, partial, k * cols);
        }
    };

    /** Row chunks {@code [from, to)}: (x, xOff, dy, dyOff, mean, mOff, invStd, sOff, cols, partial, rows, chunks). */
    private static final Kernel GRADIENT_SUMS_F32 = (a, from, to) -> {
        float[] x = a.ref(0), dy = a.ref(2), mean = a.ref(4), invStd = a.ref(6);
        double[] partial = a.ref(9);
        int xOff = a.i(1), dyOff = a.i(3), mOff = a.i(5), sOff = a.i(7), cols = a.i(8), rows = a.i(10);
        int chunks = a.i(11);
        for (int k = from; k < to; k++) {
            gradientSums(x, xOff, dy, dyOff, mean, mOff, invStd, sOff, cols, Simd.chunkStart(rows, k, chunks),
                    Simd.chunkStart(rows, k + 1, chunks), partial, k * 2 * cols);
        }
    };

    /**
     * Per column over rows {@code [r0, r1)}, into {@code total[tOff, tOff + cols)}: the sum of
     * {@code x}, or with {@code centre} of {@code (x - centre)^2}.
     */
    private static void sumColumns(float[] x, int xOff, int cols, int r0, int r1, float[] centre, int cOff,
                                   double[] total, int tOff) {
        Arrays.fill(total, tOff, tOff + cols, 0.0);
        float[] part = Scratch.local().floats(Scratch.PART, cols, false);
        int bound = F.loopBound(cols);
        for (int b0 = r0; b0 < r1; b0 += FLOAT_CHAIN) {
            Arrays.fill(part, 0, cols, 0f);
            for (int r = b0, b1 = Math.min(r1, b0 + FLOAT_CHAIN); r < b1; r++) {
                int xi = xOff + r * cols;
                int c = 0;
                if (centre == null) {
                    for (; c < bound; c += FL) {
                        load(part, c).add(load(x, xi + c)).intoArray(part, c);
                    }
                    for (; c < cols; c++) {
                        part[c] += x[xi + c];
                    }
                } else {
                    for (; c < bound; c += FL) {
                        FloatVector d = load(x, xi + c).sub(load(centre, cOff + c));
                        d.fma(d, load(part, c)).intoArray(part, c);
                    }
                    for (; c < cols; c++) {
                        float d = x[xi + c] - centre[cOff + c];
                        part[c] = Math.fma(d, d, part[c]);
                    }
                }
            }
            for (int c = 0; c < cols; c++) {
                total[tOff + c] += part[c];
            }
        }
    }

    /**
     * Per column over rows {@code [r0, r1)}: {@code sum(dy)} into {@code total[tOff, tOff + cols)},
     * {@code sum(dy * xhat)} into the {@code cols} elements after it.
     */
    private static void gradientSums(float[] x, int xOff, float[] dy, int dyOff, float[] mean, int mOff,
                                     float[] invStd, int sOff, int cols, int r0, int r1, double[] total, int tOff) {
        Arrays.fill(total, tOff, tOff + 2 * cols, 0.0);
        float[] partDy = Scratch.local().floats(Scratch.PART, cols, false);
        float[] partDyXhat = Scratch.local().floats(Scratch.PART + 1, cols, false);
        int bound = F.loopBound(cols);
        for (int b0 = r0; b0 < r1; b0 += FLOAT_CHAIN) {
            Arrays.fill(partDy, 0, cols, 0f);
            Arrays.fill(partDyXhat, 0, cols, 0f);
            for (int r = b0, b1 = Math.min(r1, b0 + FLOAT_CHAIN); r < b1; r++) {
                int xi = xOff + r * cols;
                int gi = dyOff + r * cols;
                int c = 0;
                for (; c < bound; c += FL) {
                    FloatVector g = load(dy, gi + c);
                    FloatVector xhat = load(x, xi + c).sub(load(mean, mOff + c)).mul(load(invStd, sOff + c));
                    load(partDy, c).add(g).intoArray(partDy, c);
                    g.fma(xhat, load(partDyXhat, c)).intoArray(partDyXhat, c);
                }
                for (; c < cols; c++) {
                    float xhat = (x[xi + c] - mean[mOff + c]) * invStd[sOff + c];
                    partDy[c] += dy[gi + c];
                    partDyXhat[c] = Math.fma(dy[gi + c], xhat, partDyXhat[c]);
                }
            }
            for (int c = 0; c < cols; c++) {
                total[tOff + c] += partDy[c];
                total[tOff + cols + c] += partDyXhat[c];
            }
        }
    }

    /** {@code y = (x - centre) * scale + shift} per column, rows in parallel. */
    private void normalize(int rows, int cols, float[] x, int xOff, float[] centre, int cOff, float[] scale,
                           float[] shift, int shOff, float[] y, int yOff) {
        forRows(rows, cols, NORMALIZE_F32, parallel.args()
                .put(x).put(xOff).put(cols).put(centre).put(cOff).put(scale).put(shift).put(shOff).put(y).put(yOff));
    }

    /** Rows {@code [from, to)}: (x, xOff, cols, centre, cOff, scale, shift, shOff, y, yOff). */
    private static final Kernel NORMALIZE_F32 = (a, from, to) -> {
        float[] x = a.ref(0), centre = a.ref(3), scale = a.ref(5), shift = a.ref(6), y = a.ref(8);
        int xOff = a.i(1), cols = a.i(2), cOff = a.i(4), shOff = a.i(7), yOff = a.i(9);
        int bound = F.loopBound(cols);
        for (int r = from; r < to; r++) {
            int xi = xOff + r * cols;
            int yi = yOff + r * cols;
            int c = 0;
            for (; c < bound; c += FL) {
                load(x, xi + c).sub(load(centre, cOff + c)).fma(load(scale, c), load(shift, shOff + c))
                        .intoArray(y, yi + c);
            }
            for (; c < cols; c++) {
                y[yi + c] = Math.fma(x[xi + c] - centre[cOff + c], scale[c], shift[shOff + c]);
            }
        }
    };

    // ================================================================ F64

    public void training(int rows, int cols, double[] x, int xOff, double[] gamma, int gOff, double[] beta,
                         int bOff, double eps, double momentum, double[] runMean, int rmOff, double[] runVar,
                         int rvOff, double[] y, int yOff, double[] mean, int mOff, double[] invStd, int sOff) {
        double[] sum = columnSums(rows, cols, x, xOff, null, 0);
        for (int c = 0; c < cols; c++) {
            mean[mOff + c] = sum[c] / rows;
        }
        double[] deviation = columnSums(rows, cols, x, xOff, mean, mOff);
        double[] scale = Scratch.local().doubles(Scratch.CALL + 1, cols, false);   // CALL holds deviation
        for (int c = 0; c < cols; c++) {
            double var = deviation[c] / rows;
            runMean[rmOff + c] = momentum * runMean[rmOff + c] + (1 - momentum) * mean[mOff + c];
            runVar[rvOff + c] = momentum * runVar[rvOff + c] + (1 - momentum) * var;
            invStd[sOff + c] = 1.0 / Math.sqrt(var + eps);
            scale[c] = gamma[gOff + c] * invStd[sOff + c];
        }
        normalize(rows, cols, x, xOff, mean, mOff, scale, beta, bOff, y, yOff);
    }

    public void inference(int rows, int cols, double[] x, int xOff, double[] gamma, int gOff, double[] beta,
                          int bOff, double[] runMean, int rmOff, double[] runVar, int rvOff, double eps,
                          double[] y, int yOff) {
        double[] scale = Scratch.local().doubles(Scratch.CALL, cols, false);
        for (int c = 0; c < cols; c++) {
            scale[c] = gamma[gOff + c] / Math.sqrt(runVar[rvOff + c] + eps);
        }
        normalize(rows, cols, x, xOff, runMean, rmOff, scale, beta, bOff, y, yOff);
    }

    public void backward(int rows, int cols, double[] x, int xOff, double[] dy, int dyOff, double[] gamma,
                         int gOff, double[] mean, int mOff, double[] invStd, int sOff, double[] dx, int dxOff,
                         double[] dgamma, int dgOff, double[] dbeta, int dbOff) {
        double[] sums = sumOverRows(rows, cols, 2 * cols, GRADIENT_SUMS_F64, parallel.args()
                .put(x).put(xOff).put(dy).put(dyOff).put(mean).put(mOff).put(invStd).put(sOff).put(cols));
        Scratch scratch = Scratch.local();   // CALL holds sums
        double[] k = scratch.doubles(Scratch.CALL + 1, cols, false);
        double[] kA = scratch.doubles(Scratch.CALL + 2, cols, false);
        double[] kB = scratch.doubles(Scratch.CALL + 3, cols, false);
        for (int c = 0; c < cols; c++) {
            dbeta[dbOff + c] = sums[c];
            dgamma[dgOff + c] = sums[cols + c];
            k[c] = gamma[gOff + c] * invStd[sOff + c];
            kA[c] = k[c] * sums[c] / rows;
            kB[c] = k[c] * invStd[sOff + c] * sums[cols + c] / rows;
        }
        forRows(rows, cols, INPUT_GRADIENT_F64, parallel.args()
                .put(x).put(xOff).put(dy).put(dyOff).put(mean).put(mOff).put(k).put(kA).put(kB).put(dx).put(dxOff)
                .put(cols));
    }

    private static final Kernel INPUT_GRADIENT_F64 = (a, from, to) -> {
        double[] x = a.ref(0), dy = a.ref(2), mean = a.ref(4), k = a.ref(6), kA = a.ref(7), kB = a.ref(8);
        double[] dx = a.ref(9);
        int xOff = a.i(1), dyOff = a.i(3), mOff = a.i(5), dxOff = a.i(10), cols = a.i(11);
        int bound = D.loopBound(cols);
        for (int r = from; r < to; r++) {
            int xi = xOff + r * cols;
            int gi = dyOff + r * cols;
            int oi = dxOff + r * cols;
            int c = 0;
            for (; c < bound; c += DL) {
                DoubleVector centred = load(x, xi + c).sub(load(mean, mOff + c));
                load(k, c).mul(load(dy, gi + c)).sub(load(kA, c)).sub(load(kB, c).mul(centred))
                        .intoArray(dx, oi + c);
            }
            for (; c < cols; c++) {
                double centred = x[xi + c] - mean[mOff + c];
                dx[oi + c] = k[c] * dy[gi + c] - kA[c] - kB[c] * centred;
            }
        }
    };

    private double[] columnSums(int rows, int cols, double[] x, int xOff, double[] centre, int cOff) {
        return sumOverRows(rows, cols, cols, COLUMN_SUMS_F64,
                parallel.args().put(x).put(xOff).put(cols).put(centre).put(cOff));
    }

    private static final Kernel COLUMN_SUMS_F64 = (a, from, to) -> {
        double[] x = a.ref(0), centre = a.ref(3);
        double[] partial = a.ref(5);
        int xOff = a.i(1), cols = a.i(2), cOff = a.i(4), rows = a.i(6), chunks = a.i(7);
        for (int k = from; k < to; k++) {
            sumColumns(x, xOff, cols, Simd.chunkStart(rows, k, chunks), Simd.chunkStart(rows, k + 1, chunks),
                    centre, cOff, partial, k * cols);
        }
    };

    private static final Kernel GRADIENT_SUMS_F64 = (a, from, to) -> {
        double[] x = a.ref(0), dy = a.ref(2), mean = a.ref(4), invStd = a.ref(6);
        double[] partial = a.ref(9);
        int xOff = a.i(1), dyOff = a.i(3), mOff = a.i(5), sOff = a.i(7), cols = a.i(8), rows = a.i(10);
        int chunks = a.i(11);
        for (int k = from; k < to; k++) {
            gradientSums(x, xOff, dy, dyOff, mean, mOff, invStd, sOff, cols, Simd.chunkStart(rows, k, chunks),
                    Simd.chunkStart(rows, k + 1, chunks), partial, k * 2 * cols);
        }
    };

    private static void sumColumns(double[] x, int xOff, int cols, int r0, int r1, double[] centre, int cOff,
                                   double[] total, int tOff) {
        Arrays.fill(total, tOff, tOff + cols, 0.0);
        int bound = D.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xi = xOff + r * cols;
            int c = 0;
            if (centre == null) {
                for (; c < bound; c += DL) {
                    load(total, tOff + c).add(load(x, xi + c)).intoArray(total, tOff + c);
                }
                for (; c < cols; c++) {
                    total[tOff + c] += x[xi + c];
                }
            } else {
                for (; c < bound; c += DL) {
                    DoubleVector d = load(x, xi + c).sub(load(centre, cOff + c));
                    d.fma(d, load(total, tOff + c)).intoArray(total, tOff + c);
                }
                for (; c < cols; c++) {
                    double d = x[xi + c] - centre[cOff + c];
                    total[tOff + c] = Math.fma(d, d, total[tOff + c]);
                }
            }
        }
    }

    private static void gradientSums(double[] x, int xOff, double[] dy, int dyOff, double[] mean, int mOff,
                                     double[] invStd, int sOff, int cols, int r0, int r1, double[] total, int tOff) {
        Arrays.fill(total, tOff, tOff + 2 * cols, 0.0);
        int dyXhat = tOff + cols;   // sum(dy * xhat) follows sum(dy)
        int bound = D.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xi = xOff + r * cols;
            int gi = dyOff + r * cols;
            int c = 0;
            for (; c < bound; c += DL) {
                DoubleVector g = load(dy, gi + c);
                DoubleVector xhat = load(x, xi + c).sub(load(mean, mOff + c)).mul(load(invStd, sOff + c));
                load(total, tOff + c).add(g).intoArray(total, tOff + c);
                g.fma(xhat, load(total, dyXhat + c)).intoArray(total, dyXhat + c);
            }
            for (; c < cols; c++) {
                double xhat = (x[xi + c] - mean[mOff + c]) * invStd[sOff + c];
                total[tOff + c] += dy[gi + c];
                total[dyXhat + c] = Math.fma(dy[gi + c], xhat, total[dyXhat + c]);
            }
        }
    }

    private void normalize(int rows, int cols, double[] x, int xOff, double[] centre, int cOff, double[] scale,
                           double[] shift, int shOff, double[] y, int yOff) {
        forRows(rows, cols, NORMALIZE_F64, parallel.args()
                .put(x).put(xOff).put(cols).put(centre).put(cOff).put(scale).put(shift).put(shOff).put(y).put(yOff));
    }

    private static final Kernel NORMALIZE_F64 = (a, from, to) -> {
        double[] x = a.ref(0), centre = a.ref(3), scale = a.ref(5), shift = a.ref(6), y = a.ref(8);
        int xOff = a.i(1), cols = a.i(2), cOff = a.i(4), shOff = a.i(7), yOff = a.i(9);
        int bound = D.loopBound(cols);
        for (int r = from; r < to; r++) {
            int xi = xOff + r * cols;
            int yi = yOff + r * cols;
            int c = 0;
            for (; c < bound; c += DL) {
                load(x, xi + c).sub(load(centre, cOff + c)).fma(load(scale, c), load(shift, shOff + c))
                        .intoArray(y, yi + c);
            }
            for (; c < cols; c++) {
                y[yi + c] = Math.fma(x[xi + c] - centre[cOff + c], scale[c], shift[shOff + c]);
            }
        }
    };
}
