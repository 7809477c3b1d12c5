package dev.ember.cpu.kernels;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import static dev.ember.cpu.kernels.Simd.D;
import static dev.ember.cpu.kernels.Simd.DL;
import static dev.ember.cpu.kernels.Simd.F;
import static dev.ember.cpu.kernels.Simd.FL;
import static dev.ember.cpu.kernels.Simd.GRAIN;
import static dev.ember.cpu.kernels.Simd.GRAIN_HEAVY;
import static dev.ember.cpu.kernels.Simd.load;
import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.TANH;

/**
 * Point-wise activations and their gradients. Sigmoid is computed from {@code e = exp(-|x|)} as
 * {@code 1 / (1 + e)} or {@code e / (1 + e)}, so no intermediate overflows at any {@code x}. The
 * tanh gradient is {@code (1 - y)(1 + y)}: as {@code 1 - y*y} it would lose most digits where
 * {@code |y|} is close to 1. The output may be the input ({@code y == x}, {@code dx == dy}).
 */
public final class ActivationKernels {
    private final Parallel parallel;

    public ActivationKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    public void forward(Activation act, float alpha, float[] x, int xOff, float[] y, int yOff, int length) {
        parallel.launch(length, grain(act), FORWARD_F32,
                parallel.args().put(act).put(alpha).put(x).put(xOff).put(y).put(yOff));
    }

    public void forward(Activation act, double alpha, double[] x, int xOff, double[] y, int yOff, int length) {
        parallel.launch(length, grain(act), FORWARD_F64,
                parallel.args().put(act).put(alpha).put(x).put(xOff).put(y).put(yOff));
    }

    public void backward(Activation act, float alpha, float[] x, int xOff, float[] y, int yOff,
                         float[] dy, int dyOff, float[] dx, int dxOff, int length) {
        parallel.launch(length, GRAIN, BACKWARD_F32, parallel.args().put(act).put(alpha)
                .put(x).put(xOff).put(y).put(yOff).put(dy).put(dyOff).put(dx).put(dxOff));
    }

    public void backward(Activation act, double alpha, double[] x, int xOff, double[] y, int yOff,
                         double[] dy, int dyOff, double[] dx, int dxOff, int length) {
        parallel.launch(length, GRAIN, BACKWARD_F64, parallel.args().put(act).put(alpha)
                .put(x).put(xOff).put(y).put(yOff).put(dy).put(dyOff).put(dx).put(dxOff));
    }

    /** Elements {@code [from, to)}: (act, alpha, x, xOff, y, yOff). */
    private static final Kernel FORWARD_F32 = (a, from, to) -> forwardRange(a.<Activation>ref(0), a.f(1),
            a.<float[]>ref(2), a.i(3) + from, a.<float[]>ref(4), a.i(5) + from, to - from);

    private static final Kernel FORWARD_F64 = (a, from, to) -> forwardRange(a.<Activation>ref(0), a.d(1),
            a.<double[]>ref(2), a.i(3) + from, a.<double[]>ref(4), a.i(5) + from, to - from);

    /** Elements {@code [from, to)}: (act, alpha, x, xOff, y, yOff, dy, dyOff, dx, dxOff). */
    private static final Kernel BACKWARD_F32 = (a, from, to) -> backwardRange(a.<Activation>ref(0), a.f(1),
            a.<float[]>ref(2), a.i(3) + from, a.<float[]>ref(4), a.i(5) + from,
            a.<float[]>ref(6), a.i(7) + from, a.<float[]>ref(8), a.i(9) + from, to - from);

    private static final Kernel BACKWARD_F64 = (a, from, to) -> backwardRange(a.<Activation>ref(0), a.d(1),
            a.<double[]>ref(2), a.i(3) + from, a.<double[]>ref(4), a.i(5) + from,
            a.<double[]>ref(6), a.i(7) + from, a.<double[]>ref(8), a.i(9) + from, to - from);

    /**
     * {@code y[r, c] = act(x[r, c] + bias[c])}: blocks of whole rows get the bias added into
     * {@code y}, then the activation in place while the block is still in L1, so memory is crossed
     * once; the activation runs over the block as one flat range, vectorised even for rows
     * narrower than a vector.
     */
    public void biasForward(Activation act, float alpha, float[] x, int xOff, float[] bias, int bOff, float[] y,
                            int yOff, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        parallel.launch(rows, Simd.grain(grain(act), cols), BIAS_FORWARD_F32, parallel.args().put(act).put(alpha)
                .put(x).put(xOff).put(bias).put(bOff).put(y).put(yOff).put(cols));
    }

    public void biasForward(Activation act, double alpha, double[] x, int xOff, double[] bias, int bOff,
                            double[] y, int yOff, int rows, int cols) {
        if (rows == 0 || cols == 0) {
            return;
        }
        parallel.launch(rows, Simd.grain(grain(act), cols), BIAS_FORWARD_F64, parallel.args().put(act).put(alpha)
                .put(x).put(xOff).put(bias).put(bOff).put(y).put(yOff).put(cols));
    }

    /** Elements per block of rows that {@link #biasForward} adds the bias to before activating it. */
    private static final int BIAS_BLOCK = 2048;

    /** Rows {@code [from, to)}: (act, alpha, x, xOff, bias, bOff, y, yOff, cols). */
    private static final Kernel BIAS_FORWARD_F32 = (a, from, to) -> {
        Activation act = a.ref(0);
        float alpha = a.f(1);
        float[] x = a.ref(2), bias = a.ref(4), y = a.ref(6);
        int xOff = a.i(3), bOff = a.i(5), yOff = a.i(7), cols = a.i(8);
        int blockRows = Math.max(1, BIAS_BLOCK / cols);
        for (int r0 = from; r0 < to; r0 += blockRows) {
            int r1 = Math.min(to, r0 + blockRows);
            addBias(x, xOff + r0 * cols, bias, bOff, y, yOff + r0 * cols, r1 - r0, cols);
            int start = yOff + r0 * cols;
            forwardRange(act, alpha, y, start, y, start, (r1 - r0) * cols);
        }
    };

    private static final Kernel BIAS_FORWARD_F64 = (a, from, to) -> {
        Activation act = a.ref(0);
        double alpha = a.d(1);
        double[] x = a.ref(2), bias = a.ref(4), y = a.ref(6);
        int xOff = a.i(3), bOff = a.i(5), yOff = a.i(7), cols = a.i(8);
        int blockRows = Math.max(1, BIAS_BLOCK / cols);
        for (int r0 = from; r0 < to; r0 += blockRows) {
            int r1 = Math.min(to, r0 + blockRows);
            addBias(x, xOff + r0 * cols, bias, bOff, y, yOff + r0 * cols, r1 - r0, cols);
            int start = yOff + r0 * cols;
            forwardRange(act, alpha, y, start, y, start, (r1 - r0) * cols);
        }
    };

    /**
     * {@code y = x + bias} over {@code rows} dense rows. Rows narrower than a vector take one flat
     * vector loop against the bias tiled past a vector's width (the window for element k starts at
     * {@code k % cols}), instead of a scalar loop per row.
     */
    private static void addBias(float[] x, int xi, float[] bias, int bOff, float[] y, int yi, int rows, int cols) {
        if (cols < FL) {   // the binary kernels' narrow-row path (F64 has its own below)
            float[] tiled = BinaryKernels.tiledRow(bias, bOff, cols, Scratch.PART);
            BinaryKernels.againstTiledRow(BinaryOp.ADD, rows * cols, x, xi, tiled, cols, y, yi, false);
            return;
        }
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = xi + r * cols, yr = yi + r * cols, c = 0;
            for (; c < bound; c += FL) {
                load(x, xr + c).add(load(bias, bOff + c)).intoArray(y, yr + c);
            }
            for (; c < cols; c++) {
                y[yr + c] = x[xr + c] + bias[bOff + c];
            }
        }
    }

    /**
     * {@code y = x + bias} over {@code rows} dense rows. Rows narrower than a vector take one flat
     * vector loop against the bias tiled past a vector's width (the window for element k starts at
     * {@code k % cols}), instead of a scalar loop per row.
     */
    private static void addBias(double[] x, int xi, double[] bias, int bOff, double[] y, int yi, int rows, int cols) {
        if (cols < DL) {
            double[] tiled = Scratch.local().doubles(Scratch.PART, cols + DL, false);
            for (int i = 0; i < cols + DL; i++) {
                tiled[i] = bias[bOff + i % cols];
            }
            int n = rows * cols, step = DL % cols, phase = 0, k = 0;
            for (int bound = D.loopBound(n); k < bound; k += DL) {
                load(x, xi + k).add(load(tiled, phase)).intoArray(y, yi + k);
                phase += step;
                if (phase >= cols) {
                    phase -= cols;
                }
            }
            for (; k < n; k++) {
                y[yi + k] = x[xi + k] + tiled[k % cols];
            }
            return;
        }
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int xr = xi + r * cols, yr = yi + r * cols, c = 0;
            for (; c < bound; c += DL) {
                load(x, xr + c).add(load(bias, bOff + c)).intoArray(y, yr + c);
            }
            for (; c < cols; c++) {
                y[yr + c] = x[xr + c] + bias[bOff + c];
            }
        }
    }

    private static int grain(Activation act) {
        return act == Activation.SIGMOID || act == Activation.TANH ? GRAIN_HEAVY : GRAIN;
    }

    // ---------------------------------------------------------------- F32

    private static void forwardRange(Activation act, float alpha, float[] x, int xi, float[] y, int yi, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        switch (act) {
            case RELU -> { for (; i < bound; i += FL) load(x, xi + i).max(0f).intoArray(y, yi + i); }
            case LEAKY_RELU -> {
                for (; i < bound; i += FL) {
                    FloatVector v = load(x, xi + i);
                    v.mul(alpha).blend(v, v.compare(GT, 0f)).intoArray(y, yi + i);
                }
            }
            case SIGMOID -> {
                FloatVector one = FloatVector.broadcast(F, 1f);
                for (; i < bound; i += FL) {
                    FloatVector v = load(x, xi + i);
                    FloatVector e = v.lanewise(ABS).neg().lanewise(EXP);
                    FloatVector s = one.div(e.add(one));
                    s.blend(e.mul(s), v.compare(LT, 0f)).intoArray(y, yi + i);
                }
            }
            case TANH -> { for (; i < bound; i += FL) load(x, xi + i).lanewise(TANH).intoArray(y, yi + i); }
        }
        for (; i < n; i++) {
            y[yi + i] = (float) Scalar.activation(act, alpha, x[xi + i]);
        }
    }

    private static void backwardRange(Activation act, float alpha, float[] x, int xi, float[] y, int yi,
                                 float[] dy, int dyi, float[] dx, int dxi, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        switch (act) {
            case RELU -> {
                FloatVector zero = FloatVector.zero(F);
                for (; i < bound; i += FL) {
                    zero.blend(load(dy, dyi + i), load(x, xi + i).compare(GT, 0f)).intoArray(dx, dxi + i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += FL) {
                    FloatVector g = load(dy, dyi + i);
                    g.mul(alpha).blend(g, load(x, xi + i).compare(GT, 0f)).intoArray(dx, dxi + i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += FL) {
                    FloatVector s = load(y, yi + i);
                    load(dy, dyi + i).mul(s.mul(one.sub(s))).intoArray(dx, dxi + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += FL) {
                    FloatVector t = load(y, yi + i);
                    load(dy, dyi + i).mul(one.sub(t).mul(one.add(t))).intoArray(dx, dxi + i);
                }
            }
        }
        for (; i < n; i++) {
            dx[dxi + i] = (float) Scalar.activationGrad(act, alpha, x[xi + i], y[yi + i], dy[dyi + i]);
        }
    }

    // ---------------------------------------------------------------- F64

    private static void forwardRange(Activation act, double alpha, double[] x, int xi, double[] y, int yi, int n) {
        int i = 0;
        int bound = D.loopBound(n);
        switch (act) {
            case RELU -> { for (; i < bound; i += DL) load(x, xi + i).max(0.0).intoArray(y, yi + i); }
            case LEAKY_RELU -> {
                for (; i < bound; i += DL) {
                    DoubleVector v = load(x, xi + i);
                    v.mul(alpha).blend(v, v.compare(GT, 0.0)).intoArray(y, yi + i);
                }
            }
            case SIGMOID -> {
                DoubleVector one = DoubleVector.broadcast(D, 1.0);
                for (; i < bound; i += DL) {
                    DoubleVector v = load(x, xi + i);
                    DoubleVector e = v.lanewise(ABS).neg().lanewise(EXP);
                    DoubleVector s = one.div(e.add(one));
                    s.blend(e.mul(s), v.compare(LT, 0.0)).intoArray(y, yi + i);
                }
            }
            case TANH -> { for (; i < bound; i += DL) load(x, xi + i).lanewise(TANH).intoArray(y, yi + i); }
        }
        for (; i < n; i++) {
            y[yi + i] = Scalar.activation(act, alpha, x[xi + i]);
        }
    }

    private static void backwardRange(Activation act, double alpha, double[] x, int xi, double[] y, int yi,
                                 double[] dy, int dyi, double[] dx, int dxi, int n) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        switch (act) {
            case RELU -> {
                DoubleVector zero = DoubleVector.zero(D);
                for (; i < bound; i += DL) {
                    zero.blend(load(dy, dyi + i), load(x, xi + i).compare(GT, 0.0)).intoArray(dx, dxi + i);
                }
            }
            case LEAKY_RELU -> {
                for (; i < bound; i += DL) {
                    DoubleVector g = load(dy, dyi + i);
                    g.mul(alpha).blend(g, load(x, xi + i).compare(GT, 0.0)).intoArray(dx, dxi + i);
                }
            }
            case SIGMOID -> {
                for (; i < bound; i += DL) {
                    DoubleVector s = load(y, yi + i);
                    load(dy, dyi + i).mul(s.mul(one.sub(s))).intoArray(dx, dxi + i);
                }
            }
            case TANH -> {
                for (; i < bound; i += DL) {
                    DoubleVector t = load(y, yi + i);
                    load(dy, dyi + i).mul(one.sub(t).mul(one.add(t))).intoArray(dx, dxi + i);
                }
            }
        }
        for (; i < n; i++) {
            dx[dxi + i] = Scalar.activationGrad(act, alpha, x[xi + i], y[yi + i], dy[dyi + i]);
        }
    }
}
