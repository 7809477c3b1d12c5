package dev.ember.cpu.kernels;

import dev.ember.core.spi.ReduceOp;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

import java.util.Arrays;

import static dev.ember.cpu.kernels.Simd.D;
import static dev.ember.cpu.kernels.Simd.DL;
import static dev.ember.cpu.kernels.Simd.F;
import static dev.ember.cpu.kernels.Simd.FL;
import static dev.ember.cpu.kernels.Simd.FLOAT_CHAIN;
import static dev.ember.cpu.kernels.Simd.GRAIN;
import static dev.ember.cpu.kernels.Simd.load;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.EQ;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;

/**
 * Reductions of the middle axis of {@code x} viewed as {@code [outer, length, inner]}.
 *
 * <p>With {@code inner == 1} every output reduces one contiguous run, vectorised along it (a long
 * run on few outputs is split into pieces reduced in parallel). With {@code inner > 1} the outputs
 * of one {@code o} are a contiguous row and the kernel accumulates whole input rows into them,
 * vectorised over {@code inner} in column tiles that stay in cache; tasks take whole
 * {@code [length, inner]} slabs, or, when there are fewer slabs than threads, row chunks of one
 * slab whose partial results are combined in chunk order.
 *
 * <p>NaN propagates through MAX and MIN, and ARGMAX returns the first NaN if there is one,
 * otherwise the first index holding the maximum. F32 sums flush float partial sums into double
 * every {@link Simd#FLOAT_CHAIN} terms.
 */
public final class ReduceKernels {
    /** Inner-axis columns one task accumulates at once: a few KiB of accumulators. */
    private static final int COLUMN_TILE = 1024;

    private final Parallel parallel;

    public ReduceKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    public void f32(ReduceOp op, float[] x, int xOff, int outer, int length, int inner, float[] out, int outOff) {
        if (inner == 1 && outer < parallel.threads() && length >= 2 * GRAIN) {
            for (int o = 0; o < outer; o++) {
                int base = xOff + o * length;
                double[] partial = pieces(length, (from, n) -> row(partOp(op), x, base + from, n));
                out[outOff + o] = (float) finish(op, partial, length, target -> firstIndexOf(x, base, length, target));
            }
        } else if (inner == 1) {
            parallel.forRange(outer, Simd.grain(GRAIN, length), (from, to) -> {
                for (int o = from; o < to; o++) {
                    out[outOff + o] = (float) row(op, x, xOff + o * length, length);
                }
            });
        } else if (outer >= parallel.threads() || Simd.rowChunks(parallel, length, inner) == 1) {
            parallel.forRange(outer, Simd.grain(GRAIN, (long) length * inner), (from, to) -> {
                float[] scratch = new float[Math.min(inner, COLUMN_TILE)];
                double[] total = new double[scratch.length];
                for (int o = from; o < to; o++) {
                    slab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner, scratch, total);
                }
            });
        } else {
            for (int o = 0; o < outer; o++) {
                splitSlab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner);
            }
        }
    }

    public void f64(ReduceOp op, double[] x, int xOff, int outer, int length, int inner, double[] out, int outOff) {
        if (inner == 1 && outer < parallel.threads() && length >= 2 * GRAIN) {
            for (int o = 0; o < outer; o++) {
                int base = xOff + o * length;
                double[] partial = pieces(length, (from, n) -> row(partOp(op), x, base + from, n));
                out[outOff + o] = finish(op, partial, length, target -> firstIndexOf(x, base, length, target));
            }
        } else if (inner == 1) {
            parallel.forRange(outer, Simd.grain(GRAIN, length), (from, to) -> {
                for (int o = from; o < to; o++) {
                    out[outOff + o] = row(op, x, xOff + o * length, length);
                }
            });
        } else if (outer >= parallel.threads() || Simd.rowChunks(parallel, length, inner) == 1) {
            parallel.forRange(outer, Simd.grain(GRAIN, (long) length * inner), (from, to) -> {
                double[] scratch = new double[Math.min(inner, COLUMN_TILE)];
                for (int o = from; o < to; o++) {
                    slab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner, scratch);
                }
            });
        } else {
            for (int o = 0; o < outer; o++) {
                splitSlab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner);
            }
        }
    }

    // ---------------------------------------------------------------- one long run, in parallel pieces

    private interface Piece {
        double reduce(int from, int length);
    }

    private interface IndexSearch {
        int firstIndexOf(double target);
    }

    /** What each piece of a split run computes: MEAN sums, ARGMAX finds the maximum first. */
    private static ReduceOp partOp(ReduceOp op) {
        return switch (op) {
            case MEAN -> ReduceOp.SUM;
            case ARGMAX -> ReduceOp.MAX;
            default -> op;
        };
    }

    /** Reduces pieces of {@link Simd#GRAIN} elements in parallel; their results, in order. */
    private double[] pieces(int length, Piece piece) {
        int count = (length + GRAIN - 1) / GRAIN;
        double[] partial = new double[count];
        parallel.forRange(count, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                int start = p * GRAIN;
                partial[p] = piece.reduce(start, Math.min(GRAIN, length - start));
            }
        });
        return partial;
    }

    /** Combines the pieces' results in order (so the result does not depend on the thread count). */
    private static double finish(ReduceOp op, double[] partial, int length, IndexSearch search) {
        double r = partial[0];
        for (int p = 1; p < partial.length; p++) {
            r = switch (partOp(op)) {
                case MAX -> Math.max(r, partial[p]);
                case MIN -> Math.min(r, partial[p]);
                default -> r + partial[p];
            };
        }
        return switch (op) {
            case MEAN -> r / length;
            case ARGMAX -> search.firstIndexOf(r);
            default -> r;
        };
    }

    // ---------------------------------------------------------------- F32 contiguous runs

    private static double row(ReduceOp op, float[] x, int off, int n) {
        return switch (op) {
            case SUM -> sum(x, off, n, false);
            case MEAN -> sum(x, off, n, false) / n;
            case SUM_OF_SQUARES -> sum(x, off, n, true);
            case MAX -> max(x, off, n);
            case MIN -> min(x, off, n);
            case ARGMAX -> firstIndexOf(x, off, n, max(x, off, n));
        };
    }

    /** Sum (of squares) of a contiguous run; float lanes flush into a double every FLOAT_CHAIN vectors. */
    static double sum(float[] x, int off, int n, boolean squares) {
        double total = 0;
        int i = 0;
        int bound = F.loopBound(n);
        while (i < bound) {
            int end = Math.min(bound, i + FLOAT_CHAIN * FL);
            FloatVector acc = FloatVector.zero(F);
            if (squares) {
                for (; i < end; i += FL) {
                    FloatVector v = load(x, off + i);
                    acc = acc.add(v.mul(v));
                }
            } else {
                for (; i < end; i += FL) {
                    acc = acc.add(load(x, off + i));
                }
            }
            total += acc.reduceLanes(ADD);
        }
        for (; i < n; i++) {
            total += squares ? x[off + i] * x[off + i] : x[off + i];
        }
        return total;
    }

    static float max(float[] x, int off, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (; i < bound; i += FL) {
            acc = acc.max(load(x, off + i));
        }
        float r = acc.reduceLanes(MAX);
        for (; i < n; i++) {
            r = Math.max(r, x[off + i]);
        }
        return r;
    }

    private static float min(float[] x, int off, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector acc = FloatVector.broadcast(F, Float.POSITIVE_INFINITY);
        for (; i < bound; i += FL) {
            acc = acc.min(load(x, off + i));
        }
        float r = acc.reduceLanes(MIN);
        for (; i < n; i++) {
            r = Math.min(r, x[off + i]);
        }
        return r;
    }

    /** The first index holding {@code target} (the first NaN when it is NaN). */
    private static int firstIndexOf(float[] x, int off, int n, double target) {
        float t = (float) target;
        int i = 0;
        int bound = F.loopBound(n);
        if (t != t) {
            for (; i < bound; i += FL) {
                VectorMask<Float> hit = load(x, off + i).test(IS_NAN);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            for (; i < n && x[off + i] == x[off + i]; i++) {
                // skip numbers
            }
        } else {
            FloatVector vt = FloatVector.broadcast(F, t);
            for (; i < bound; i += FL) {
                VectorMask<Float> hit = load(x, off + i).compare(EQ, vt);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            for (; i < n && x[off + i] != t; i++) {
                // skip smaller values
            }
        }
        return i;
    }

    // ---------------------------------------------------------------- F32 strided axis (inner > 1)

    /** Reduces one {@code [length, inner]} slab into {@code out[0, inner)}, in cache-sized column tiles. */
    private static void slab(ReduceOp op, float[] x, int base, int inner, int length, float[] out, int outOff,
                             float[] scratch, double[] total) {
        for (int c = 0; c < inner; c += scratch.length) {
            columns(op, x, base + c, inner, length, Math.min(scratch.length, inner - c), out, outOff + c, scratch,
                    total);
        }
    }

    /**
     * Reduces one slab with too few outputs to share out: row chunks reduce in parallel into
     * partial rows, which are then combined in chunk order (ARGMAX partials are row indices
     * within their chunk; the combination looks their values up).
     */
    private void splitSlab(ReduceOp op, float[] x, int base, int inner, int length, float[] out, int outOff) {
        int chunks = Simd.rowChunks(parallel, length, inner);
        float[][] partial = new float[chunks][inner];
        ReduceOp chunkOp = op == ReduceOp.MEAN ? ReduceOp.SUM : op; // divide once, at the end
        parallel.forRange(chunks, 1, (from, to) -> {
            float[] scratch = new float[Math.min(inner, COLUMN_TILE)];
            double[] total = new double[scratch.length];
            for (int k = from; k < to; k++) {
                int r0 = Simd.chunkStart(length, k, chunks);
                int r1 = Simd.chunkStart(length, k + 1, chunks);
                slab(chunkOp, x, base + r0 * inner, inner, r1 - r0, partial[k], 0, scratch, total);
            }
        });
        for (int c = 0; c < inner; c++) {
            double r = partial[0][c];
            for (int k = 1; k < chunks; k++) {
                float p = partial[k][c];
                switch (op) {
                    case MAX -> r = Math.max(r, p);
                    case MIN -> r = Math.min(r, p);
                    case ARGMAX -> {
                        int row = Simd.chunkStart(length, k, chunks) + (int) p;
                        float v = x[base + row * inner + c];
                        float best = x[base + (int) r * inner + c];
                        if (v > best || (v != v && best == best)) {
                            r = row;
                        }
                    }
                    default -> r += p;
                }
            }
            out[outOff + c] = (float) (op == ReduceOp.MEAN ? r / length : r);
        }
    }

    /**
     * Reduces {@code length} rows of {@code width} contiguous elements, {@code stride} apart, into
     * {@code out[0, width)}; {@code scratch} and {@code total} hold at least {@code width} elements.
     */
    private static void columns(ReduceOp op, float[] x, int base, int stride, int length, int width,
                                float[] out, int outOff, float[] scratch, double[] total) {
        switch (op) {
            case SUM, MEAN, SUM_OF_SQUARES -> {
                Arrays.fill(total, 0, width, 0.0);
                for (int r0 = 0; r0 < length; r0 += FLOAT_CHAIN) {
                    int rows = Math.min(FLOAT_CHAIN, length - r0);
                    Arrays.fill(scratch, 0, width, 0f);
                    accumulateRows(x, base + r0 * stride, stride, rows, width, op == ReduceOp.SUM_OF_SQUARES,
                            scratch);
                    for (int c = 0; c < width; c++) {
                        total[c] += scratch[c];
                    }
                }
                for (int c = 0; c < width; c++) {
                    out[outOff + c] = (float) (op == ReduceOp.MEAN ? total[c] / length : total[c]);
                }
            }
            case MAX, MIN -> {
                System.arraycopy(x, base, out, outOff, width);
                for (int r = 1; r < length; r++) {
                    int row = base + r * stride;
                    int c = 0;
                    int bound = F.loopBound(width);
                    if (op == ReduceOp.MAX) {
                        for (; c < bound; c += FL) {
                            load(out, outOff + c).max(load(x, row + c)).intoArray(out, outOff + c);
                        }
                        for (; c < width; c++) {
                            out[outOff + c] = Math.max(out[outOff + c], x[row + c]);
                        }
                    } else {
                        for (; c < bound; c += FL) {
                            load(out, outOff + c).min(load(x, row + c)).intoArray(out, outOff + c);
                        }
                        for (; c < width; c++) {
                            out[outOff + c] = Math.min(out[outOff + c], x[row + c]);
                        }
                    }
                }
            }
            case ARGMAX -> {
                float[] best = scratch;
                System.arraycopy(x, base, best, 0, width);
                Arrays.fill(out, outOff, outOff + width, 0f);
                for (int r = 1; r < length; r++) {
                    int row = base + r * stride;
                    int c = 0;
                    int bound = F.loopBound(width);
                    for (; c < bound; c += FL) {
                        FloatVector v = load(x, row + c);
                        FloatVector b = load(best, c);
                        // strictly greater keeps the first maximum; a NaN beats any number, once
                        VectorMask<Float> better = v.compare(GT, b).or(v.test(IS_NAN).andNot(b.test(IS_NAN)));
                        b.blend(v, better).intoArray(best, c);
                        load(out, outOff + c).blend((float) r, better).intoArray(out, outOff + c);
                    }
                    for (; c < width; c++) {
                        float v = x[row + c];
                        if (v > best[c] || (v != v && best[c] == best[c])) {
                            best[c] = v;
                            out[outOff + c] = r;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code acc[c] += x[row r, c]} (or its square) over {@code rows} rows: whole vectors row by row,
     * then the columns past them one at a time down the rows, summed in a register (a bias gradient
     * over 5 units is all such columns; the order of the additions is the same either way).
     */
    private static void accumulateRows(float[] x, int base, int stride, int rows, int width, boolean squares,
                                       float[] acc) {
        int bound = F.loopBound(width);
        if (bound > 0) {
            for (int r = 0; r < rows; r++) {
                int row = base + r * stride;
                if (squares) {
                    for (int c = 0; c < bound; c += FL) {
                        FloatVector v = load(x, row + c);
                        load(acc, c).add(v.mul(v)).intoArray(acc, c);
                    }
                } else {
                    for (int c = 0; c < bound; c += FL) {
                        load(acc, c).add(load(x, row + c)).intoArray(acc, c);
                    }
                }
            }
        }
        for (int c = bound; c < width; c++) {
            float s = acc[c];
            for (int r = 0, i = base + c; r < rows; r++, i += stride) {
                s += squares ? x[i] * x[i] : x[i];
            }
            acc[c] = s;
        }
    }

    // ---------------------------------------------------------------- F64 contiguous runs

    private static double row(ReduceOp op, double[] x, int off, int n) {
        return switch (op) {
            case SUM -> sum(x, off, n, false);
            case MEAN -> sum(x, off, n, false) / n;
            case SUM_OF_SQUARES -> sum(x, off, n, true);
            case MAX -> max(x, off, n);
            case MIN -> min(x, off, n);
            case ARGMAX -> firstIndexOf(x, off, n, max(x, off, n));
        };
    }

    static double sum(double[] x, int off, int n, boolean squares) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector acc = DoubleVector.zero(D);
        double tail = 0;
        if (squares) {
            for (; i < bound; i += DL) {
                DoubleVector v = load(x, off + i);
                acc = acc.add(v.mul(v));
            }
            for (; i < n; i++) {
                tail += x[off + i] * x[off + i];
            }
        } else {
            for (; i < bound; i += DL) {
                acc = acc.add(load(x, off + i));
            }
            for (; i < n; i++) {
                tail += x[off + i];
            }
        }
        return acc.reduceLanes(ADD) + tail;
    }

    static double max(double[] x, int off, int n) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector acc = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        for (; i < bound; i += DL) {
            acc = acc.max(load(x, off + i));
        }
        double r = acc.reduceLanes(MAX);
        for (; i < n; i++) {
            r = Math.max(r, x[off + i]);
        }
        return r;
    }

    private static double min(double[] x, int off, int n) {
        int i = 0;
        int bound = D.loopBound(n);
        DoubleVector acc = DoubleVector.broadcast(D, Double.POSITIVE_INFINITY);
        for (; i < bound; i += DL) {
            acc = acc.min(load(x, off + i));
        }
        double r = acc.reduceLanes(MIN);
        for (; i < n; i++) {
            r = Math.min(r, x[off + i]);
        }
        return r;
    }

    private static int firstIndexOf(double[] x, int off, int n, double t) {
        int i = 0;
        int bound = D.loopBound(n);
        if (t != t) {
            for (; i < bound; i += DL) {
                VectorMask<Double> hit = load(x, off + i).test(IS_NAN);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            for (; i < n && x[off + i] == x[off + i]; i++) {
                // skip numbers
            }
        } else {
            DoubleVector vt = DoubleVector.broadcast(D, t);
            for (; i < bound; i += DL) {
                VectorMask<Double> hit = load(x, off + i).compare(EQ, vt);
                if (hit.anyTrue()) {
                    return i + hit.firstTrue();
                }
            }
            for (; i < n && x[off + i] != t; i++) {
                // skip smaller values
            }
        }
        return i;
    }

    // ---------------------------------------------------------------- F64 strided axis (inner > 1)

    private static void slab(ReduceOp op, double[] x, int base, int inner, int length, double[] out, int outOff,
                             double[] scratch) {
        for (int c = 0; c < inner; c += scratch.length) {
            columns(op, x, base + c, inner, length, Math.min(scratch.length, inner - c), out, outOff + c, scratch);
        }
    }

    private void splitSlab(ReduceOp op, double[] x, int base, int inner, int length, double[] out, int outOff) {
        int chunks = Simd.rowChunks(parallel, length, inner);
        double[][] partial = new double[chunks][inner];
        ReduceOp chunkOp = op == ReduceOp.MEAN ? ReduceOp.SUM : op;
        parallel.forRange(chunks, 1, (from, to) -> {
            double[] scratch = new double[Math.min(inner, COLUMN_TILE)];
            for (int k = from; k < to; k++) {
                int r0 = Simd.chunkStart(length, k, chunks);
                int r1 = Simd.chunkStart(length, k + 1, chunks);
                slab(chunkOp, x, base + r0 * inner, inner, r1 - r0, partial[k], 0, scratch);
            }
        });
        for (int c = 0; c < inner; c++) {
            double r = partial[0][c];
            for (int k = 1; k < chunks; k++) {
                double p = partial[k][c];
                switch (op) {
                    case MAX -> r = Math.max(r, p);
                    case MIN -> r = Math.min(r, p);
                    case ARGMAX -> {
                        int row = Simd.chunkStart(length, k, chunks) + (int) p;
                        double v = x[base + row * inner + c];
                        double best = x[base + (int) r * inner + c];
                        if (v > best || (v != v && best == best)) {
                            r = row;
                        }
                    }
                    default -> r += p;
                }
            }
            out[outOff + c] = op == ReduceOp.MEAN ? r / length : r;
        }
    }

    private static void columns(ReduceOp op, double[] x, int base, int stride, int length, int width,
                                double[] out, int outOff, double[] scratch) {
        switch (op) {
            case SUM, MEAN, SUM_OF_SQUARES -> {
                Arrays.fill(out, outOff, outOff + width, 0.0);
                boolean squares = op == ReduceOp.SUM_OF_SQUARES;
                int bound = D.loopBound(width);
                for (int r = 0; r < length; r++) {
                    int row = base + r * stride;
                    int c = 0;
                    if (squares) {
                        for (; c < bound; c += DL) {
                            DoubleVector v = load(x, row + c);
                            load(out, outOff + c).add(v.mul(v)).intoArray(out, outOff + c);
                        }
                        for (; c < width; c++) {
                            out[outOff + c] += x[row + c] * x[row + c];
                        }
                    } else {
                        for (; c < bound; c += DL) {
                            load(out, outOff + c).add(load(x, row + c)).intoArray(out, outOff + c);
                        }
                        for (; c < width; c++) {
                            out[outOff + c] += x[row + c];
                        }
                    }
                }
                if (op == ReduceOp.MEAN) {
                    for (int c = 0; c < width; c++) {
                        out[outOff + c] /= length;
                    }
                }
            }
            case MAX, MIN -> {
                System.arraycopy(x, base, out, outOff, width);
                for (int r = 1; r < length; r++) {
                    int row = base + r * stride;
                    int c = 0;
                    int bound = D.loopBound(width);
                    if (op == ReduceOp.MAX) {
                        for (; c < bound; c += DL) {
                            load(out, outOff + c).max(load(x, row + c)).intoArray(out, outOff + c);
                        }
                        for (; c < width; c++) {
                            out[outOff + c] = Math.max(out[outOff + c], x[row + c]);
                        }
                    } else {
                        for (; c < bound; c += DL) {
                            load(out, outOff + c).min(load(x, row + c)).intoArray(out, outOff + c);
                        }
                        for (; c < width; c++) {
                            out[outOff + c] = Math.min(out[outOff + c], x[row + c]);
                        }
                    }
                }
            }
            case ARGMAX -> {
                double[] best = scratch;
                System.arraycopy(x, base, best, 0, width);
                Arrays.fill(out, outOff, outOff + width, 0.0);
                for (int r = 1; r < length; r++) {
                    int row = base + r * stride;
                    int c = 0;
                    int bound = D.loopBound(width);
                    for (; c < bound; c += DL) {
                        DoubleVector v = load(x, row + c);
                        DoubleVector b = load(best, c);
                        VectorMask<Double> better = v.compare(GT, b).or(v.test(IS_NAN).andNot(b.test(IS_NAN)));
                        b.blend(v, better).intoArray(best, c);
                        load(out, outOff + c).blend((double) r, better).intoArray(out, outOff + c);
                    }
                    for (; c < width; c++) {
                        double v = x[row + c];
                        if (v > best[c] || (v != v && best[c] == best[c])) {
                            best[c] = v;
                            out[outOff + c] = r;
                        }
                    }
                }
            }
        }
    }
}
