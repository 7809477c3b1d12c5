package dev.ember.cpu.kernels;

import dev.ember.core.spi.UnaryOp;
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
import static jdk.incubator.vector.VectorOperators.LOG;
import static jdk.incubator.vector.VectorOperators.LT;
import static jdk.incubator.vector.VectorOperators.POW;
import static jdk.incubator.vector.VectorOperators.SQRT;
import static jdk.incubator.vector.VectorOperators.TANH;

/**
 * {@code out[i] = op(x[i], p)}. Each operation has its own vector loop: the Vector API only
 * compiles to SIMD instructions when the operator is a constant at the call site. {@code out}
 * may be {@code x} (same offset).
 */
public final class UnaryKernels {
    private final Parallel parallel;

    public UnaryKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    public void f32(UnaryOp op, float p, float[] x, int xOff, float[] out, int outOff, int length) {
        parallel.launch(length, grain(op), F32, parallel.args().put(op).put(p).put(x).put(xOff).put(out).put(outOff));
    }

    public void f64(UnaryOp op, double p, double[] x, int xOff, double[] out, int outOff, int length) {
        parallel.launch(length, grain(op), F64, parallel.args().put(op).put(p).put(x).put(xOff).put(out).put(outOff));
    }

    /** Elements {@code [from, to)}: (op, p, x, xOff, out, outOff). */
    private static final Kernel F32 = (a, from, to) ->
            run(a.<UnaryOp>ref(0), a.f(1), a.<float[]>ref(2), a.i(3) + from, a.<float[]>ref(4), a.i(5) + from, to - from);

    private static final Kernel F64 = (a, from, to) ->
            run(a.<UnaryOp>ref(0), a.d(1), a.<double[]>ref(2), a.i(3) + from, a.<double[]>ref(4), a.i(5) + from, to - from);

    private static int grain(UnaryOp op) {
        return switch (op) {
            case EXP, LOG, POW_SCALAR, TANH -> GRAIN_HEAVY;
            default -> GRAIN;
        };
    }

    private static void run(UnaryOp op, float p, float[] x, int xi, float[] out, int oi, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        switch (op) {
            case NEG -> { for (; i < bound; i += FL) load(x, xi + i).neg().intoArray(out, oi + i); }
            case ABS -> { for (; i < bound; i += FL) load(x, xi + i).lanewise(ABS).intoArray(out, oi + i); }
            case EXP -> { for (; i < bound; i += FL) load(x, xi + i).lanewise(EXP).intoArray(out, oi + i); }
            case LOG -> { for (; i < bound; i += FL) load(x, xi + i).lanewise(LOG).intoArray(out, oi + i); }
            case SQRT -> { for (; i < bound; i += FL) load(x, xi + i).lanewise(SQRT).intoArray(out, oi + i); }
            case RSQRT -> { for (; i < bound; i += FL) one.div(load(x, xi + i).lanewise(SQRT)).intoArray(out, oi + i); }
            case SQUARE -> {
                for (; i < bound; i += FL) {
                    FloatVector v = load(x, xi + i);
                    v.mul(v).intoArray(out, oi + i);
                }
            }
            case RECIPROCAL -> { for (; i < bound; i += FL) one.div(load(x, xi + i)).intoArray(out, oi + i); }
            case SIGN -> {
                // signum keeps 0, -0 and NaN as they are
                FloatVector minusOne = FloatVector.broadcast(F, -1f);
                for (; i < bound; i += FL) {
                    FloatVector v = load(x, xi + i);
                    v.blend(one, v.compare(GT, 0f)).blend(minusOne, v.compare(LT, 0f)).intoArray(out, oi + i);
                }
            }
            case ADD_SCALAR -> { for (; i < bound; i += FL) load(x, xi + i).add(p).intoArray(out, oi + i); }
            case MUL_SCALAR -> { for (; i < bound; i += FL) load(x, xi + i).mul(p).intoArray(out, oi + i); }
            case POW_SCALAR -> {
                if (p == 2f) { // the common case, exact and without a pow call
                    run(UnaryOp.SQUARE, p, x, xi, out, oi, n);
                    return;
                }
                for (; i < bound; i += FL) load(x, xi + i).lanewise(POW, p).intoArray(out, oi + i);
            }
            case MIN_SCALAR -> { for (; i < bound; i += FL) load(x, xi + i).min(p).intoArray(out, oi + i); }
            case MAX_SCALAR -> { for (; i < bound; i += FL) load(x, xi + i).max(p).intoArray(out, oi + i); }
            case TANH -> { for (; i < bound; i += FL) load(x, xi + i).lanewise(TANH).intoArray(out, oi + i); }
        }
        for (; i < n; i++) {
            out[oi + i] = (float) Scalar.unary(op, p, x[xi + i]);
        }
    }

    private static void run(UnaryOp op, double p, double[] x, int xi, double[] out, int oi, int n) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector one = DoubleVector.broadcast(D, 1.0);
        switch (op) {
            case NEG -> { for (; i < bound; i += DL) load(x, xi + i).neg().intoArray(out, oi + i); }
            case ABS -> { for (; i < bound; i += DL) load(x, xi + i).lanewise(ABS).intoArray(out, oi + i); }
            case EXP -> { for (; i < bound; i += DL) load(x, xi + i).lanewise(EXP).intoArray(out, oi + i); }
            case LOG -> { for (; i < bound; i += DL) load(x, xi + i).lanewise(LOG).intoArray(out, oi + i); }
            case SQRT -> { for (; i < bound; i += DL) load(x, xi + i).lanewise(SQRT).intoArray(out, oi + i); }
            case RSQRT -> { for (; i < bound; i += DL) one.div(load(x, xi + i).lanewise(SQRT)).intoArray(out, oi + i); }
            case SQUARE -> {
                for (; i < bound; i += DL) {
                    DoubleVector v = load(x, xi + i);
                    v.mul(v).intoArray(out, oi + i);
                }
            }
            case RECIPROCAL -> { for (; i < bound; i += DL) one.div(load(x, xi + i)).intoArray(out, oi + i); }
            case SIGN -> {
                DoubleVector minusOne = DoubleVector.broadcast(D, -1.0);
                for (; i < bound; i += DL) {
                    DoubleVector v = load(x, xi + i);
                    v.blend(one, v.compare(GT, 0.0)).blend(minusOne, v.compare(LT, 0.0)).intoArray(out, oi + i);
                }
            }
            case ADD_SCALAR -> { for (; i < bound; i += DL) load(x, xi + i).add(p).intoArray(out, oi + i); }
            case MUL_SCALAR -> { for (; i < bound; i += DL) load(x, xi + i).mul(p).intoArray(out, oi + i); }
            case POW_SCALAR -> {
                if (p == 2.0) {
                    run(UnaryOp.SQUARE, p, x, xi, out, oi, n);
                    return;
                }
                for (; i < bound; i += DL) load(x, xi + i).lanewise(POW, p).intoArray(out, oi + i);
            }
            case MIN_SCALAR -> { for (; i < bound; i += DL) load(x, xi + i).min(p).intoArray(out, oi + i); }
            case MAX_SCALAR -> { for (; i < bound; i += DL) load(x, xi + i).max(p).intoArray(out, oi + i); }
            case TANH -> { for (; i < bound; i += DL) load(x, xi + i).lanewise(TANH).intoArray(out, oi + i); }
        }
        for (; i < n; i++) {
            out[oi + i] = Scalar.unary(op, p, x[xi + i]);
        }
    }
}
