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

    /** Per-column sums over rows {@code [r0, r1)}, as one array (several sums side by side). */
    @FunctionalInterface
    private interface RowSums {
        double[] over(int r0, int r1);
    }

    /** Sums over all rows: row chunks in parallel, their partial sums added in chunk order. */
    private double[] sumOverRows(int rows, int cols, RowSums sums) {
        int chunks = Simd.rowChunks(parallel, rows, cols);
        double[][] partial = new double[chunks][];
        parallel.forRange(chunks, 1, (from, to) -> {
            for (int k = from; k < to; k++) {
                partial[k] = sums.over(Simd.chunkStart(rows, k, chunks), Simd.chunkStart(rows, k + 1, chunks));
            }
        });
        double[] total = partial[0];
        for (int k = 1; k < chunks; k++) {
            for (int i = 0; i < total.length; i++) {
                total[i] += partial[k][i];
            }
        }
        return total;
    }

    private void forRows(int rows, int cols, Parallel.Range body) {
        parallel.forRange(rows, Simd.grain(GRAIN, cols), body);
    }

    // ================================================================ F32

    public void training(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                         double eps, double momentum, float[] runMean, int rmOff, float[] runVar, int rvOff,
                         float[] y, int yOff, float[] mean, int mOff, float[] invStd, int sOff) {
        double[] sum = sumOverRows(rows, cols, (r0, r1) -> sumColumns(x, xOff, cols, r0, r1, null, 0));
        for (int c = 0; c < cols; c++) {
            mean[mOff + c] = (float) (sum[c] / rows);
        }
        double[] deviation = sumOverRows(rows, cols, (r0, r1) -> sumColumns(x, xOff, cols, r0, r1, mean, mOff));
        float[] scale = new float[cols];
        for (int c = 0; c < cols; c++) {
            double var = deviation[c] / rows;
            runMean[rmOff + c] = (float) (momentum * runMean[rmOff + c] + (1 - momentum) * mean[mOff + c]);
            runVar[rvOff + c] = (float) (momentum * runVar[rvOff + c] + (1 - momentum) * var);
            invStd[sOff + c] = (float) (1.0 / Math.sqrt(var + eps));
            scale[c] = gamma[gOff + c] * invStd[sOff + c];
        }
        forRows(rows, cols, (r0, r1) -> normalize(x, xOff, cols, r0, r1, mean, mOff, scale, beta, bOff, y, yOff));
    }

    public void inference(int rows, int cols, float[] x, int xOff, float[] gamma, int gOff, float[] beta, int bOff,
                          float[] runMean, int rmOff, float[] runVar, int rvOff, double eps, float[] y, int yOff) {
        float[] scale = new float[cols];
        for (int c = 0; c < cols; c++) {
            scale[c] = (float) (gamma[gOff + c] / Math.sqrt(runVar[rvOff + c] + eps));
        }
        forRows(rows, cols, (r0, r1) -> normalize(x, xOff, cols, r0, r1, runMean, rmOff, scale, beta, bOff, y, yOff));
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
        double[] sums = sumOverRows(rows, cols,
                (r0, r1) -> gradientSums(x, xOff, dy, dyOff, mean, mOff, invStd, sOff, cols, r0, r1));
        float[] k = new float[cols];
        float[] kA = new float[cols];
        float[] kB = new float[cols];
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
        int bound = F.loopBound(cols);
        forRows(rows, cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
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
        });
    }

    /** Per column over rows {@code [r0, r1)}: the sum of {@code x}, or with {@code centre} of {@code (x - centre)^2}. */
    private static double[] sumColumns(float[] x, int xOff, int cols, int r0, int r1, float[] centre, int cOff) {
        double[] total = new double[cols];
        float[] part = new float[cols];
        int bound = F.loopBound(cols);
        for (int b0 = r0; b0 < r1; b0 += FLOAT_CHAIN) {
            Arrays.fill(part, 0f);
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
                total[c] += part[c];
            }
        }
        return total;
    }

    /** Per column over rows {@code [r0, r1)}: {@code sum(dy)} in {@code [0, cols)}, {@code sum(dy * xhat)} after it. */
    private static double[] gradientSums(float[] x, int xOff, float[] dy, int dyOff, float[] mean, int mOff,
                                         float[] invStd, int sOff, int cols, int r0, int r1) {
        double[] total = new double[2 * cols];
        float[] partDy = new float[cols];
        float[] partDyXhat = new float[cols];
        int bound = F.loopBound(cols);
        for (int b0 = r0; b0 < r1; b0 += FLOAT_CHAIN) {
            Arrays.fill(partDy, 0f);
            Arrays.fill(partDyXhat, 0f);
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
                total[c] += partDy[c];
                total[cols + c] += partDyXhat[c];
            }
        }
        return total;
    }

    /** {@code y = (x - centre) * scale + shift} per column, for rows {@code [r0, r1)}. */
    private static void normalize(float[] x, int xOff, int cols, int r0, int r1, float[] centre, int cOff,
                                  float[] scale, float[] shift, int shOff, float[] y, int yOff) {
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
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
    }

    // ================================================================ F64

    public void training(int rows, int cols, double[] x, int xOff, double[] gamma, int gOff, double[] beta,
                         int bOff, double eps, double momentum, double[] runMean, int rmOff, double[] runVar,
                         int rvOff, double[] y, int yOff, double[] mean, int mOff, double[] invStd, int sOff) {
        double[] sum = sumOverRows(rows, cols, (r0, r1) -> sumColumns(x, xOff, cols, r0, r1, null, 0));
        for (int c = 0; c < cols; c++) {
            mean[mOff + c] = sum[c] / rows;
        }
        double[] deviation = sumOverRows(rows, cols, (r0, r1) -> sumColumns(x, xOff, cols, r0, r1, mean, mOff));
        double[] scale = new double[cols];
        for (int c = 0; c < cols; c++) {
            double var = deviation[c] / rows;
            runMean[rmOff + c] = momentum * runMean[rmOff + c] + (1 - momentum) * mean[mOff + c];
            runVar[rvOff + c] = momentum * runVar[rvOff + c] + (1 - momentum) * var;
            invStd[sOff + c] = 1.0 / Math.sqrt(var + eps);
            scale[c] = gamma[gOff + c] * invStd[sOff + c];
        }
        forRows(rows, cols, (r0, r1) -> normalize(x, xOff, cols, r0, r1, mean, mOff, scale, beta, bOff, y, yOff));
    }

    public void inference(int rows, int cols, double[] x, int xOff, double[] gamma, int gOff, double[] beta,
                          int bOff, double[] runMean, int rmOff, double[] runVar, int rvOff, double eps,
                          double[] y, int yOff) {
        double[] scale = new double[cols];
        for (int c = 0; c < cols; c++) {
            scale[c] = gamma[gOff + c] / Math.sqrt(runVar[rvOff + c] + eps);
        }
        forRows(rows, cols, (r0, r1) -> normalize(x, xOff, cols, r0, r1, runMean, rmOff, scale, beta, bOff, y, yOff));
    }

    public void backward(int rows, int cols, double[] x, int xOff, double[] dy, int dyOff, double[] gamma,
                         int gOff, double[] mean, int mOff, double[] invStd, int sOff, double[] dx, int dxOff,
                         double[] dgamma, int dgOff, double[] dbeta, int dbOff) {
        double[] sums = sumOverRows(rows, cols,
                (r0, r1) -> gradientSums(x, xOff, dy, dyOff, mean, mOff, invStd, sOff, cols, r0, r1));
        double[] k = new double[cols];
        double[] kA = new double[cols];
        double[] kB = new double[cols];
        for (int c = 0; c < cols; c++) {
            dbeta[dbOff + c] = sums[c];
            dgamma[dgOff + c] = sums[cols + c];
            k[c] = gamma[gOff + c] * invStd[sOff + c];
            kA[c] = k[c] * sums[c] / rows;
            kB[c] = k[c] * invStd[sOff + c] * sums[cols + c] / rows;
        }
        int bound = D.loopBound(cols);
        forRows(rows, cols, (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
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
        });
    }

    private static double[] sumColumns(double[] x, int xOff, int cols, int r0, int r1, double[] centre, int cOff) {
        double[] total = new double[cols];
        int bound = D.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xi = xOff + r * cols;
            int c = 0;
            if (centre == null) {
                for (; c < bound; c += DL) {
                    load(total, c).add(load(x, xi + c)).intoArray(total, c);
                }
                for (; c < cols; c++) {
                    total[c] += x[xi + c];
                }
            } else {
                for (; c < bound; c += DL) {
                    DoubleVector d = load(x, xi + c).sub(load(centre, cOff + c));
                    d.fma(d, load(total, c)).intoArray(total, c);
                }
                for (; c < cols; c++) {
                    double d = x[xi + c] - centre[cOff + c];
                    total[c] = Math.fma(d, d, total[c]);
                }
            }
        }
        return total;
    }

    private static double[] gradientSums(double[] x, int xOff, double[] dy, int dyOff, double[] mean, int mOff,
                                         double[] invStd, int sOff, int cols, int r0, int r1) {
        double[] sumDy = new double[cols];
        double[] sumDyXhat = new double[cols];
        int bound = D.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int xi = xOff + r * cols;
            int gi = dyOff + r * cols;
            int c = 0;
            for (; c < bound; c += DL) {
                DoubleVector g = load(dy, gi + c);
                DoubleVector xhat = load(x, xi + c).sub(load(mean, mOff + c)).mul(load(invStd, sOff + c));
                load(sumDy, c).add(g).intoArray(sumDy, c);
                g.fma(xhat, load(sumDyXhat, c)).intoArray(sumDyXhat, c);
            }
            for (; c < cols; c++) {
                double xhat = (x[xi + c] - mean[mOff + c]) * invStd[sOff + c];
                sumDy[c] += dy[gi + c];
                sumDyXhat[c] = Math.fma(dy[gi + c], xhat, sumDyXhat[c]);
            }
        }
        double[] both = Arrays.copyOf(sumDy, 2 * cols);
        System.arraycopy(sumDyXhat, 0, both, cols, cols);
        return both;
    }

    private static void normalize(double[] x, int xOff, int cols, int r0, int r1, double[] centre, int cOff,
                                  double[] scale, double[] shift, int shOff, double[] y, int yOff) {
        int bound = D.loopBound(cols);
        for (int r = r0; r < r1; r++) {
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
    }
}
