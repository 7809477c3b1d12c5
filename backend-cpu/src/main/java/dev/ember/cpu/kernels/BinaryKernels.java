package dev.ember.cpu.kernels;

import dev.ember.core.spi.BinaryOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static dev.ember.cpu.kernels.Simd.D;
import static dev.ember.cpu.kernels.Simd.DL;
import static dev.ember.cpu.kernels.Simd.F;
import static dev.ember.cpu.kernels.Simd.FL;
import static dev.ember.cpu.kernels.Simd.GRAIN;
import static dev.ember.cpu.kernels.Simd.load;
import static jdk.incubator.vector.VectorOperators.GT;

/**
 * {@code out[i, j] = op(a(i, j), b(i, j))} over a {@code rows x cols} grid written densely, where
 * operand element (i, j) is {@code data[offset + i * rowStride + j * colStride]}.
 *
 * <p>The grid is cut into row segments and each segment takes the loop for its operands' column
 * strides: both contiguous (vector-vector; rowStride 0 is a broadcast row), one with column stride
 * 0 (vector-scalar: a broadcast column or a scalar), both 0 (a fill), or anything else (scalar).
 * The output may be a dense operand: each element is read before it is written.
 */
public final class BinaryKernels {
    private final Parallel parallel;

    public BinaryKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    public void f32(BinaryOp op, int rows, int cols, float[] a, int aOff, int aRowStride, int aColStride,
                    float[] b, int bOff, int bRowStride, int bColStride, float[] out, int outOff) {
        if (flattens(cols, aRowStride, aColStride) && flattens(cols, bRowStride, bColStride)) {
            // rows continue where the previous one ended: one long row gives longer vector loops
            cols *= rows;
            rows = 1;
        }
        if (cols < FL && rows * cols < GRAIN) {
            // rows narrower than a vector (a bias over 5 units): one scalar loop nest, op chosen once
            narrow(op, rows, cols, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, out, outOff);
            return;
        }
        parallel.launch(rows * cols, GRAIN, F32, parallel.args().put(op).put(cols)
                .put(a).put(aOff).put(aRowStride).put(aColStride)
                .put(b).put(bOff).put(bRowStride).put(bColStride).put(out).put(outOff));
    }

    public void f64(BinaryOp op, int rows, int cols, double[] a, int aOff, int aRowStride, int aColStride,
                    double[] b, int bOff, int bRowStride, int bColStride, double[] out, int outOff) {
        if (flattens(cols, aRowStride, aColStride) && flattens(cols, bRowStride, bColStride)) {
            cols *= rows;
            rows = 1;
        }
        parallel.launch(rows * cols, GRAIN, F64, parallel.args().put(op).put(cols)
                .put(a).put(aOff).put(aRowStride).put(aColStride)
                .put(b).put(bOff).put(bRowStride).put(bColStride).put(out).put(outOff));
    }

    /**
     * Dense output elements {@code [from, to)} of the grid, row segment by row segment:
     * (op, cols, a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, out, outOff).
     */
    private static final Kernel F32 = (args, from, to) -> {
        BinaryOp op = args.ref(0);
        int width = args.i(1);
        float[] a = args.ref(2), b = args.ref(6), out = args.ref(10);
        int aOff = args.i(3), ars = args.i(4), acs = args.i(5);
        int bOff = args.i(7), brs = args.i(8), bcs = args.i(9), outOff = args.i(11);
        for (int k = from, i = from / width, j = from % width; k < to; i++, j = 0) {
            int n = Math.min(width - j, to - k);
            segment(op, a, aOff + i * ars + j * acs, acs, b, bOff + i * brs + j * bcs, bcs, out, outOff + k, n);
            k += n;
        }
    };

    private static final Kernel F64 = (args, from, to) -> {
        BinaryOp op = args.ref(0);
        int width = args.i(1);
        double[] a = args.ref(2), b = args.ref(6), out = args.ref(10);
        int aOff = args.i(3), ars = args.i(4), acs = args.i(5);
        int bOff = args.i(7), brs = args.i(8), bcs = args.i(9), outOff = args.i(11);
        for (int k = from, i = from / width, j = from % width; k < to; i++, j = 0) {
            int n = Math.min(width - j, to - k);
            segment(op, a, aOff + i * ars + j * acs, acs, b, bOff + i * brs + j * bcs, bcs, out, outOff + k, n);
            k += n;
        }
    };

    /** Whether an operand's next row starts right after its current one (dense, or a scalar). */
    private static boolean flattens(int cols, int rowStride, int colStride) {
        return (long) rowStride == (long) cols * colStride;
    }

    private static boolean commutes(BinaryOp op) {
        return op == BinaryOp.ADD || op == BinaryOp.MUL || op == BinaryOp.MAX || op == BinaryOp.MIN;
    }

    // ---------------------------------------------------------------- F32

    /**
     * Rows narrower than a vector. A dense matrix with a broadcast row (a bias over 5 units) runs as
     * one flat vector loop against the row tiled once past a vector's width, where the row starts
     * at every multiple of {@code cols}; any other layout takes a scalar loop nest.
     */
    private static void narrow(BinaryOp op, int rows, int cols, float[] a, int aOff, int ars, int acs,
                               float[] b, int bOff, int brs, int bcs, float[] out, int outOff) {
        if (rows * cols >= FL && op != BinaryOp.GREATER) {
            if (ars == cols && acs == 1 && brs == 0 && bcs == 1) {
                againstTiledRow(op, rows * cols, a, aOff, tiledRow(b, bOff, cols, Scratch.CALL), cols, out, outOff, false);
                return;
            }
            if (brs == cols && bcs == 1 && ars == 0 && acs == 1) {
                againstTiledRow(op, rows * cols, b, bOff, tiledRow(a, aOff, cols, Scratch.CALL), cols, out, outOff, true);
                return;
            }
        }
        switch (op) {
            case ADD -> {
                for (int i = 0, o = outOff; i < rows; i++) {
                    for (int j = 0; j < cols; j++, o++) {
                        out[o] = a[aOff + i * ars + j * acs] + b[bOff + i * brs + j * bcs];
                    }
                }
            }
            case MUL -> {
                for (int i = 0, o = outOff; i < rows; i++) {
                    for (int j = 0; j < cols; j++, o++) {
                        out[o] = a[aOff + i * ars + j * acs] * b[bOff + i * brs + j * bcs];
                    }
                }
            }
            default -> {
                for (int i = 0, o = outOff; i < rows; i++) {
                    for (int j = 0; j < cols; j++, o++) {
                        out[o] = (float) Scalar.binary(op, a[aOff + i * ars + j * acs], b[bOff + i * brs + j * bcs]);
                    }
                }
            }
        }
    }

    /**
     * {@code row} repeated to {@code cols + FL} elements, in scratch {@code slot}: any FL-wide
     * window starting below cols is in it.
     */
    static float[] tiledRow(float[] row, int off, int cols, int slot) {
        float[] t = Scratch.local().floats(slot, cols + FL, false);
        for (int i = 0; i < cols + FL; i++) {
            t[i] = row[off + i % cols];
        }
        return t;
    }

    /**
     * {@code out[k] = x[k] op row[k % cols]} over {@code n} dense elements ({@code row op x} when
     * {@code rowFirst}); the window of the tiled row for the chunk at k starts at {@code k % cols}.
     */
    static void againstTiledRow(BinaryOp op, int n, float[] x, int xOff, float[] tiled, int cols,
                                        float[] out, int outOff, boolean rowFirst) {
        int step = FL % cols;
        int k = 0;
        int phase = 0;
        int bound = F.loopBound(n);
        for (; k < bound; k += FL) {
            FloatVector v = load(x, xOff + k);
            FloatVector r = load(tiled, phase);
            FloatVector res = switch (op) {
                case ADD -> v.add(r);
                case MUL -> v.mul(r);
                case SUB -> rowFirst ? r.sub(v) : v.sub(r);
                case DIV -> rowFirst ? r.div(v) : v.div(r);
                case MAX -> v.max(r);
                case MIN -> v.min(r);
                case GREATER -> throw new IllegalStateException("narrow: GREATER takes the scalar loop");
            };
            res.intoArray(out, outOff + k);
            phase += step;
            if (phase >= cols) {
                phase -= cols;
            }
        }
        for (; k < n; k++) {
            float r = tiled[k % cols];
            out[outOff + k] = (float) (rowFirst ? Scalar.binary(op, r, x[xOff + k]) : Scalar.binary(op, x[xOff + k], r));
        }
    }

    private static void segment(BinaryOp op, float[] a, int ai, int aStep, float[] b, int bi, int bStep,
                                float[] out, int oi, int n) {
        if (aStep == 1 && bStep == 1) {
            vectorVector(op, a, ai, b, bi, out, oi, n);
        } else if (aStep == 1 && bStep == 0) {
            vectorScalar(op, a, ai, b[bi], out, oi, n);
        } else if (aStep == 0 && bStep == 1) {
            if (commutes(op)) {
                vectorScalar(op, b, bi, a[ai], out, oi, n);
            } else {
                scalarVector(op, a[ai], b, bi, out, oi, n);
            }
        } else if (aStep == 0 && bStep == 0) {
            Arrays.fill(out, oi, oi + n, (float) Scalar.binary(op, a[ai], b[bi]));
        } else {
            for (int j = 0; j < n; j++) {
                out[oi + j] = (float) Scalar.binary(op, a[ai + j * aStep], b[bi + j * bStep]);
            }
        }
    }

    private static void vectorVector(BinaryOp op, float[] a, int ai, float[] b, int bi, float[] out, int oi, int n) {
        int j = 0;
        int bound = F.loopBound(n);
        switch (op) {
            case ADD -> { for (; j < bound; j += FL) load(a, ai + j).add(load(b, bi + j)).intoArray(out, oi + j); }
            case SUB -> { for (; j < bound; j += FL) load(a, ai + j).sub(load(b, bi + j)).intoArray(out, oi + j); }
            case MUL -> { for (; j < bound; j += FL) load(a, ai + j).mul(load(b, bi + j)).intoArray(out, oi + j); }
            case DIV -> { for (; j < bound; j += FL) load(a, ai + j).div(load(b, bi + j)).intoArray(out, oi + j); }
            case MAX -> { for (; j < bound; j += FL) load(a, ai + j).max(load(b, bi + j)).intoArray(out, oi + j); }
            case MIN -> { for (; j < bound; j += FL) load(a, ai + j).min(load(b, bi + j)).intoArray(out, oi + j); }
            case GREATER -> {
                FloatVector zero = FloatVector.zero(F);
                for (; j < bound; j += FL) {
                    zero.blend(1f, load(a, ai + j).compare(GT, load(b, bi + j))).intoArray(out, oi + j);
                }
            }
        }
        for (; j < n; j++) {
            out[oi + j] = (float) Scalar.binary(op, a[ai + j], b[bi + j]);
        }
    }

    private static void vectorScalar(BinaryOp op, float[] a, int ai, float s, float[] out, int oi, int n) {
        int j = 0;
        int bound = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        switch (op) {
            case ADD -> { for (; j < bound; j += FL) load(a, ai + j).add(vs).intoArray(out, oi + j); }
            case SUB -> { for (; j < bound; j += FL) load(a, ai + j).sub(vs).intoArray(out, oi + j); }
            case MUL -> { for (; j < bound; j += FL) load(a, ai + j).mul(vs).intoArray(out, oi + j); }
            case DIV -> { for (; j < bound; j += FL) load(a, ai + j).div(vs).intoArray(out, oi + j); }
            case MAX -> { for (; j < bound; j += FL) load(a, ai + j).max(vs).intoArray(out, oi + j); }
            case MIN -> { for (; j < bound; j += FL) load(a, ai + j).min(vs).intoArray(out, oi + j); }
            case GREATER -> {
                FloatVector zero = FloatVector.zero(F);
                for (; j < bound; j += FL) zero.blend(1f, load(a, ai + j).compare(GT, vs)).intoArray(out, oi + j);
            }
        }
        for (; j < n; j++) {
            out[oi + j] = (float) Scalar.binary(op, a[ai + j], s);
        }
    }

    /** {@code s op b} for the operations that do not commute. */
    private static void scalarVector(BinaryOp op, float s, float[] b, int bi, float[] out, int oi, int n) {
        int j = 0;
        int bound = F.loopBound(n);
        FloatVector vs = FloatVector.broadcast(F, s);
        switch (op) {
            case SUB -> { for (; j < bound; j += FL) vs.sub(load(b, bi + j)).intoArray(out, oi + j); }
            case DIV -> { for (; j < bound; j += FL) vs.div(load(b, bi + j)).intoArray(out, oi + j); }
            case GREATER -> {
                FloatVector zero = FloatVector.zero(F);
                for (; j < bound; j += FL) zero.blend(1f, vs.compare(GT, load(b, bi + j))).intoArray(out, oi + j);
            }
            default -> throw new IllegalStateException("commuting operation " + op + " takes vectorScalar");
        }
        for (; j < n; j++) {
            out[oi + j] = (float) Scalar.binary(op, s, b[bi + j]);
        }
    }

    // ---------------------------------------------------------------- F64

    private static void segment(BinaryOp op, double[] a, int ai, int aStep, double[] b, int bi, int bStep,
                                double[] out, int oi, int n) {
        if (aStep == 1 && bStep == 1) {
            vectorVector(op, a, ai, b, bi, out, oi, n);
        } else if (aStep == 1 && bStep == 0) {
            vectorScalar(op, a, ai, b[bi], out, oi, n);
        } else if (aStep == 0 && bStep == 1) {
            if (commutes(op)) {
                vectorScalar(op, b, bi, a[ai], out, oi, n);
            } else {
                scalarVector(op, a[ai], b, bi, out, oi, n);
            }
        } else if (aStep == 0 && bStep == 0) {
            Arrays.fill(out, oi, oi + n, Scalar.binary(op, a[ai], b[bi]));
        } else {
            for (int j = 0; j < n; j++) {
                out[oi + j] = Scalar.binary(op, a[ai + j * aStep], b[bi + j * bStep]);
            }
        }
    }

    private static void vectorVector(BinaryOp op, double[] a, int ai, double[] b, int bi, double[] out, int oi,
                                     int n) {
        int j = 0;
        int bound = D.loopBound(n);
        switch (op) {
            case ADD -> { for (; j < bound; j += DL) load(a, ai + j).add(load(b, bi + j)).intoArray(out, oi + j); }
            case SUB -> { for (; j < bound; j += DL) load(a, ai + j).sub(load(b, bi + j)).intoArray(out, oi + j); }
            case MUL -> { for (; j < bound; j += DL) load(a, ai + j).mul(load(b, bi + j)).intoArray(out, oi + j); }
            case DIV -> { for (; j < bound; j += DL) load(a, ai + j).div(load(b, bi + j)).intoArray(out, oi + j); }
            case MAX -> { for (; j < bound; j += DL) load(a, ai + j).max(load(b, bi + j)).intoArray(out, oi + j); }
            case MIN -> { for (; j < bound; j += DL) load(a, ai + j).min(load(b, bi + j)).intoArray(out, oi + j); }
            case GREATER -> {
                DoubleVector zero = DoubleVector.zero(D);
                for (; j < bound; j += DL) {
                    zero.blend(1.0, load(a, ai + j).compare(GT, load(b, bi + j))).intoArray(out, oi + j);
                }
            }
        }
        for (; j < n; j++) {
            out[oi + j] = Scalar.binary(op, a[ai + j], b[bi + j]);
        }
    }

    private static void vectorScalar(BinaryOp op, double[] a, int ai, double s, double[] out, int oi, int n) {
        int j = 0;
        int bound = D.loopBound(n);
        DoubleVector vs = DoubleVector.broadcast(D, s);
        switch (op) {
            case ADD -> { for (; j < bound; j += DL) load(a, ai + j).add(vs).intoArray(out, oi + j); }
            case SUB -> { for (; j < bound; j += DL) load(a, ai + j).sub(vs).intoArray(out, oi + j); }
            case MUL -> { for (; j < bound; j += DL) load(a, ai + j).mul(vs).intoArray(out, oi + j); }
            case DIV -> { for (; j < bound; j += DL) load(a, ai + j).div(vs).intoArray(out, oi + j); }
            case MAX -> { for (; j < bound; j += DL) load(a, ai + j).max(vs).intoArray(out, oi + j); }
            case MIN -> { for (; j < bound; j += DL) load(a, ai + j).min(vs).intoArray(out, oi + j); }
            case GREATER -> {
                DoubleVector zero = DoubleVector.zero(D);
                for (; j < bound; j += DL) zero.blend(1.0, load(a, ai + j).compare(GT, vs)).intoArray(out, oi + j);
            }
        }
        for (; j < n; j++) {
            out[oi + j] = Scalar.binary(op, a[ai + j], s);
        }
    }

    private static void scalarVector(BinaryOp op, double s, double[] b, int bi, double[] out, int oi, int n) {
        int j = 0;
        int bound = D.loopBound(n);
        DoubleVector vs = DoubleVector.broadcast(D, s);
        switch (op) {
            case SUB -> { for (; j < bound; j += DL) vs.sub(load(b, bi + j)).intoArray(out, oi + j); }
            case DIV -> { for (; j < bound; j += DL) vs.div(load(b, bi + j)).intoArray(out, oi + j); }
            case GREATER -> {
                DoubleVector zero = DoubleVector.zero(D);
                for (; j < bound; j += DL) zero.blend(1.0, vs.compare(GT, load(b, bi + j))).intoArray(out, oi + j);
            }
            default -> throw new IllegalStateException("commuting operation " + op + " takes vectorScalar");
        }
        for (; j < n; j++) {
            out[oi + j] = Scalar.binary(op, s, b[bi + j]);
        }
    }
}
