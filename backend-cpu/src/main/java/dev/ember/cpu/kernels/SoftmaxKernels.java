package dev.ember.cpu.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import static dev.ember.cpu.kernels.Simd.D;
import static dev.ember.cpu.kernels.Simd.DL;
import static dev.ember.cpu.kernels.Simd.F;
import static dev.ember.cpu.kernels.Simd.FL;
import static dev.ember.cpu.kernels.Simd.FLOAT_CHAIN;
import static dev.ember.cpu.kernels.Simd.GRAIN_HEAVY;
import static dev.ember.cpu.kernels.Simd.load;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EXP;

/**
 * Row-wise softmax and log-softmax of a {@code rows x cols} matrix and their gradients, rows in
 * parallel. The row maximum is subtracted before exponentiating, so every exponent is {@code <= 0}
 * and nothing overflows; log-softmax is {@code (x - max) - log(sum)}, keeping the small
 * difference {@code x - max} exact instead of subtracting a rounded {@code max + log(sum)}.
 * {@code y} may be {@code x} and {@code dx} may be {@code dy}.
 */
public final class SoftmaxKernels {
    private final Parallel parallel;

    public SoftmaxKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    public void forward(boolean log, float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
        if (cols == 0) {
            return;
        }
        parallel.launch(rows, Simd.grain(GRAIN_HEAVY, cols), FORWARD_F32,
                parallel.args().put(log).put(x).put(xOff).put(y).put(yOff).put(cols));
    }

    public void forward(boolean log, double[] x, int xOff, double[] y, int yOff, int rows, int cols) {
        if (cols == 0) {
            return;
        }
        parallel.launch(rows, Simd.grain(GRAIN_HEAVY, cols), FORWARD_F64,
                parallel.args().put(log).put(x).put(xOff).put(y).put(yOff).put(cols));
    }

    /** softmax: {@code dx = y * (dy - sum(dy * y))}; log-softmax: {@code dx = dy - exp(y) * sum(dy)}. */
    public void backward(boolean log, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff,
                         int rows, int cols) {
        parallel.launch(rows, Simd.grain(GRAIN_HEAVY, cols), BACKWARD_F32,
                parallel.args().put(log).put(y).put(yOff).put(dy).put(dyOff).put(dx).put(dxOff).put(cols));
    }

    public void backward(boolean log, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff,
                         int rows, int cols) {
        parallel.launch(rows, Simd.grain(GRAIN_HEAVY, cols), BACKWARD_F64,
                parallel.args().put(log).put(y).put(yOff).put(dy).put(dyOff).put(dx).put(dxOff).put(cols));
    }

    /** Rows {@code [from, to)}: (log, x, xOff, y, yOff, cols). */
    private static final Kernel FORWARD_F32 = (a, from, to) -> {
        boolean log = a.flag(0);
        float[] x = a.ref(1);
        float[] y = a.ref(3);
        int xOff = a.i(2), yOff = a.i(4), cols = a.i(5);
        if (cols < FL) {
            narrowRows(log, x, xOff, y, yOff, cols, from, to);
            return;
        }
        for (int r = from; r < to; r++) {
            if (log) {
                logSoftmaxRow(x, xOff + r * cols, y, yOff + r * cols, cols);
            } else {
                softmaxRow(x, xOff + r * cols, y, yOff + r * cols, cols);
            }
        }
    };

    private static final Kernel FORWARD_F64 = (a, from, to) -> {
        boolean log = a.flag(0);
        double[] x = a.ref(1);
        double[] y = a.ref(3);
        int xOff = a.i(2), yOff = a.i(4), cols = a.i(5);
        if (cols < DL) {
            narrowRows(log, x, xOff, y, yOff, cols, from, to);
            return;
        }
        for (int r = from; r < to; r++) {
            if (log) {
                logSoftmaxRow(x, xOff + r * cols, y, yOff + r * cols, cols);
            } else {
                softmaxRow(x, xOff + r * cols, y, yOff + r * cols, cols);
            }
        }
    };

    /** Rows {@code [from, to)}: (log, y, yOff, dy, dyOff, dx, dxOff, cols). */
    private static final Kernel BACKWARD_F32 = (a, from, to) -> {
        boolean log = a.flag(0);
        float[] y = a.ref(1), dy = a.ref(3), dx = a.ref(5);
        int yOff = a.i(2), dyOff = a.i(4), dxOff = a.i(6), cols = a.i(7);
        for (int r = from; r < to; r++) {
            int o = r * cols;
            if (log) {
                logSoftmaxBackwardRow(y, yOff + o, dy, dyOff + o, dx, dxOff + o, cols);
            } else {
                softmaxBackwardRow(y, yOff + o, dy, dyOff + o, dx, dxOff + o, cols);
            }
        }
    };

    private static final Kernel BACKWARD_F64 = (a, from, to) -> {
        boolean log = a.flag(0);
        double[] y = a.ref(1), dy = a.ref(3), dx = a.ref(5);
        int yOff = a.i(2), dyOff = a.i(4), dxOff = a.i(6), cols = a.i(7);
        for (int r = from; r < to; r++) {
            int o = r * cols;
            if (log) {
                logSoftmaxBackwardRow(y, yOff + o, dy, dyOff + o, dx, dxOff + o, cols);
            } else {
                softmaxBackwardRow(y, yOff + o, dy, dyOff + o, dx, dxOff + o, cols);
            }
        }
    };

    /**
     * Rows narrower than a vector (10 classes in F32) would leave every exponential to scalar
     * code: a block of rows instead has {@code x - max(row)} gathered into scratch and
     * exponentiated in one vector loop, then normalised row by row.
     */
    private static final int NARROW_BLOCK = 1024;

    // ---------------------------------------------------------------- F32

    private static void narrowRows(boolean log, float[] x, int xOff, float[] y, int yOff, int cols, int from, int to) {
        int blockRows = Math.max(1, NARROW_BLOCK / cols);
        Scratch scratch = Scratch.local();
        float[] e = scratch.floats(Scratch.PART, blockRows * cols, false);
        float[] max = scratch.floats(Scratch.PART + 1, blockRows, false);
        for (int r0 = from; r0 < to; r0 += blockRows) {
            int rows = Math.min(blockRows, to - r0);
            int xi = xOff + r0 * cols;
            int yi = yOff + r0 * cols;
            for (int r = 0, o = 0; r < rows; r++) {
                float m = ReduceKernels.max(x, xi + r * cols, cols);
                max[r] = m;
                for (int c = 0; c < cols; c++, o++) {
                    e[o] = x[xi + o] - m;
                }
            }
            int n = rows * cols;
            int i = 0;
            for (int bound = F.loopBound(n); i < bound; i += FL) {
                load(e, i).lanewise(EXP).intoArray(e, i);
            }
            for (; i < n; i++) {
                e[i] = (float) Math.exp(e[i]);
            }
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += e[o + c];
                }
                if (log) {
                    float logSum = (float) Math.log(sum);
                    for (int c = 0; c < cols; c++) {
                        y[yi + o + c] = (x[xi + o + c] - max[r]) - logSum;
                    }
                } else {
                    float scale = (float) (1.0 / sum);
                    for (int c = 0; c < cols; c++) {
                        y[yi + o + c] = e[o + c] * scale;
                    }
                }
            }
        }
    }

    private static void softmaxRow(float[] x, int xi, float[] y, int yi, int n) {
        float max = ReduceKernels.max(x, xi, n);
        double sum = expMinus(x, xi, max, y, yi, n, true);
        float scale = (float) (1.0 / sum);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            load(y, yi + i).mul(scale).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] *= scale;
        }
    }

    private static void logSoftmaxRow(float[] x, int xi, float[] y, int yi, int n) {
        float max = ReduceKernels.max(x, xi, n);
        float logSum = (float) Math.log(expMinus(x, xi, max, y, yi, n, false));
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            load(x, xi + i).sub(max).sub(logSum).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] = (x[xi + i] - max) - logSum;
        }
    }

    /** {@code sum(exp(x - max))}, also storing the exponentials in {@code y} when asked. */
    private static double expMinus(float[] x, int xi, float max, float[] y, int yi, int n, boolean store) {
        double total = 0;
        int i = 0;
        int bound = F.loopBound(n);
        while (i < bound) {
            int end = Math.min(bound, i + FLOAT_CHAIN * FL);
            FloatVector acc = FloatVector.zero(F);
            for (; i < end; i += FL) {
                FloatVector e = load(x, xi + i).sub(max).lanewise(EXP);
                if (store) {
                    e.intoArray(y, yi + i);
                }
                acc = acc.add(e);
            }
            total += acc.reduceLanes(ADD);
        }
        for (; i < n; i++) {
            float e = (float) Math.exp(x[xi + i] - max);
            if (store) {
                y[yi + i] = e;
            }
            total += e;
        }
        return total;
    }

    private static void softmaxBackwardRow(float[] y, int yi, float[] dy, int dyi, float[] dx, int dxi, int n) {
        float dot = (float) dot(y, yi, dy, dyi, n);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            load(y, yi + i).mul(load(dy, dyi + i).sub(dot)).intoArray(dx, dxi + i);
        }
        for (; i < n; i++) {
            dx[dxi + i] = y[yi + i] * (dy[dyi + i] - dot);
        }
    }

    private static void logSoftmaxBackwardRow(float[] y, int yi, float[] dy, int dyi, float[] dx, int dxi, int n) {
        float sum = (float) ReduceKernels.sum(dy, dyi, n, false);
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += FL) {
            FloatVector g = load(dy, dyi + i);
            g.sub(load(y, yi + i).lanewise(EXP).mul(sum)).intoArray(dx, dxi + i);
        }
        for (; i < n; i++) {
            dx[dxi + i] = dy[dyi + i] - (float) Math.exp(y[yi + i]) * sum;
        }
    }

    private static double dot(float[] a, int ai, float[] b, int bi, int n) {
        double total = 0;
        int i = 0;
        int bound = F.loopBound(n);
        while (i < bound) {
            int end = Math.min(bound, i + FLOAT_CHAIN * FL);
            FloatVector acc = FloatVector.zero(F);
            for (; i < end; i += FL) {
                acc = load(a, ai + i).fma(load(b, bi + i), acc);
            }
            total += acc.reduceLanes(ADD);
        }
        for (; i < n; i++) {
            total += a[ai + i] * b[bi + i];
        }
        return total;
    }

    // ---------------------------------------------------------------- F64

    private static void narrowRows(boolean log, double[] x, int xOff, double[] y, int yOff, int cols, int from,
                                   int to) {
        int blockRows = Math.max(1, NARROW_BLOCK / cols);
        Scratch scratch = Scratch.local();
        double[] e = scratch.doubles(Scratch.PART, blockRows * cols, false);
        double[] max = scratch.doubles(Scratch.PART + 1, blockRows, false);
        for (int r0 = from; r0 < to; r0 += blockRows) {
            int rows = Math.min(blockRows, to - r0);
            int xi = xOff + r0 * cols;
            int yi = yOff + r0 * cols;
            for (int r = 0, o = 0; r < rows; r++) {
                double m = ReduceKernels.max(x, xi + r * cols, cols);
                max[r] = m;
                for (int c = 0; c < cols; c++, o++) {
                    e[o] = x[xi + o] - m;
                }
            }
            int n = rows * cols;
            int i = 0;
            for (int bound = D.loopBound(n); i < bound; i += DL) {
                load(e, i).lanewise(EXP).intoArray(e, i);
            }
            for (; i < n; i++) {
                e[i] = Math.exp(e[i]);
            }
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                double sum = 0;
                for (int c = 0; c < cols; c++) {
                    sum += e[o + c];
                }
                if (log) {
                    double logSum = Math.log(sum);
                    for (int c = 0; c < cols; c++) {
                        y[yi + o + c] = (x[xi + o + c] - max[r]) - logSum;
                    }
                } else {
                    double scale = 1.0 / sum;
                    for (int c = 0; c < cols; c++) {
                        y[yi + o + c] = e[o + c] * scale;
                    }
                }
            }
        }
    }

    private static void softmaxRow(double[] x, int xi, double[] y, int yi, int n) {
        double max = ReduceKernels.max(x, xi, n);
        double scale = 1.0 / expMinus(x, xi, max, y, yi, n, true);
        int i = 0;
        int bound = D.loopBound(n);
        for (; i < bound; i += DL) {
            load(y, yi + i).mul(scale).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] *= scale;
        }
    }

    private static void logSoftmaxRow(double[] x, int xi, double[] y, int yi, int n) {
        double max = ReduceKernels.max(x, xi, n);
        double logSum = Math.log(expMinus(x, xi, max, y, yi, n, false));
        int i = 0;
        int bound = D.loopBound(n);
        for (; i < bound; i += DL) {
            load(x, xi + i).sub(max).sub(logSum).intoArray(y, yi + i);
        }
        for (; i < n; i++) {
            y[yi + i] = (x[xi + i] - max) - logSum;
        }
    }

    private static double expMinus(double[] x, int xi, double max, double[] y, int yi, int n, boolean store) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector acc = DoubleVector.zero(D);
        for (; i < bound; i += DL) {
            DoubleVector e = load(x, xi + i).sub(max).lanewise(EXP);
            if (store) {
                e.intoArray(y, yi + i);
            }
            acc = acc.add(e);
        }
        double total = acc.reduceLanes(ADD);
        for (; i < n; i++) {
            double e = Math.exp(x[xi + i] - max);
            if (store) {
                y[yi + i] = e;
            }
            total += e;
        }
        return total;
    }

    private static void softmaxBackwardRow(double[] y, int yi, double[] dy, int dyi, double[] dx, int dxi,
                                           int n) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector acc = DoubleVector.zero(D);
        for (; i < bound; i += DL) {
            acc = load(y, yi + i).fma(load(dy, dyi + i), acc);
        }
        double dot = acc.reduceLanes(ADD);
        for (; i < n; i++) {
            dot += y[yi + i] * dy[dyi + i];
        }
        for (i = 0; i < bound; i += DL) {
            load(y, yi + i).mul(load(dy, dyi + i).sub(dot)).intoArray(dx, dxi + i);
        }
        for (; i < n; i++) {
            dx[dxi + i] = y[yi + i] * (dy[dyi + i] - dot);
        }
    }

    private static void logSoftmaxBackwardRow(double[] y, int yi, double[] dy, int dyi, double[] dx, int dxi,
                                              int n) {
        double sum = ReduceKernels.sum(dy, dyi, n, false);
        int i = 0;
        int bound = D.loopBound(n);
        for (; i < bound; i += DL) {
            DoubleVector g = load(dy, dyi + i);
            g.sub(load(y, yi + i).lanewise(EXP).mul(sum)).intoArray(dx, dxi + i);
        }
        for (; i < n; i++) {
            dx[dxi + i] = dy[dyi + i] - Math.exp(y[yi + i]) * sum;
        }
    }
}
