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
                out[outOff + o] = (float) longRun(op, x, xOff + o * length, length);
            }
        } else if (inner == 1) {
            parallel.launch(outer, Simd.grain(GRAIN, length), RUNS_F32,
                    parallel.args().put(op).put(x).put(xOff).put(length).put(out).put(outOff));
        } else if (outer >= parallel.threads() || Simd.rowChunks(parallel, length, inner) == 1) {
            parallel.launch(outer, Simd.grain(GRAIN, (long) length * inner), SLABS_F32,
                    parallel.args().put(op).put(x).put(xOff).put(length).put(inner).put(out).put(outOff));
        } else {
            for (int o = 0; o < outer; o++) {
                splitSlab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner);
            }
        }
    }

    public void f64(ReduceOp op, double[] x, int xOff, int outer, int length, int inner, double[] out, int outOff) {
        if (inner == 1 && outer < parallel.threads() && length >= 2 * GRAIN) {
            for (int o = 0; o < outer; o++) {
                out[outOff + o] = longRun(op, x, xOff + o * length, length);
            }
        } else if (inner == 1) {
            parallel.launch(outer, Simd.grain(GRAIN, length), RUNS_F64,
                    parallel.args().put(op).put(x).put(xOff).put(length).put(out).put(outOff));
        } else if (outer >= parallel.threads() || Simd.rowChunks(parallel, length, inner) == 1) {
            parallel.launch(outer, Simd.grain(GRAIN, (long) length * inner), SLABS_F64,
                    parallel.args().put(op).put(x).put(xOff).put(length).put(inner).put(out).put(outOff));
        } else {
            for (int o = 0; o < outer; o++) {
                splitSlab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner);
            }
        }
    }

    /** Outputs {@code [from, to)}, each one contiguous run: (op, x, xOff, length, out, outOff). */
    private static final Kernel RUNS_F32 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        float[] x = a.ref(1);
        float[] out = a.ref(4);
        int xOff = a.i(2), length = a.i(3), outOff = a.i(5);
        for (int o = from; o < to; o++) {
            out[outOff + o] = (float) row(op, x, xOff + o * length, length);
        }
    };

    private static final Kernel RUNS_F64 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        double[] x = a.ref(1);
        double[] out = a.ref(4);
        int xOff = a.i(2), length = a.i(3), outOff = a.i(5);
        for (int o = from; o < to; o++) {
            out[outOff + o] = row(op, x, xOff + o * length, length);
        }
    };

    /** Slabs {@code [from, to)} of {@code [length, inner]} each: (op, x, xOff, length, inner, out, outOff). */
    private static final Kernel SLABS_F32 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        float[] x = a.ref(1);
        float[] out = a.ref(5);
        int xOff = a.i(2), length = a.i(3), inner = a.i(4), outOff = a.i(6);
        int tile = Math.min(inner, COLUMN_TILE);
        float[] scratch = Scratch.local().floats(Scratch.PART, tile, false);
        double[] total = Scratch.local().doubles(Scratch.PART, tile, false);
        for (int o = from; o < to; o++) {
            slab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner, tile, scratch, total);
        }
    };

    private static final Kernel SLABS_F64 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        double[] x = a.ref(1);
        double[] out = a.ref(5);
        int xOff = a.i(2), length = a.i(3), inner = a.i(4), outOff = a.i(6);
        int tile = Math.min(inner, COLUMN_TILE);
        double[] scratch = Scratch.local().doubles(Scratch.PART, tile, false);
        for (int o = from; o < to; o++) {
            slab(op, x, xOff + o * length * inner, inner, length, out, outOff + o * inner, tile, scratch);
        }
    };

    // ---------------------------------------------------------------- one long run, in parallel pieces

    /** What each piece of a split run computes: MEAN sums, ARGMAX finds the maximum first. */
    private static ReduceOp partOp(ReduceOp op) {
        return switch (op) {
            case MEAN -> ReduceOp.SUM;
            case ARGMAX -> ReduceOp.MAX;
            default -> op;
        };
    }

    /** Reduces the run of {@code length} elements at {@code base} in parallel pieces. */
    private double longRun(ReduceOp op, float[] x, int base, int length) {
        double r = pieces(PIECES_F32, op, x, base, length);
        return switch (op) {
            case MEAN -> r / length;
            case ARGMAX -> firstIndexOf(x, base, length, r);
            default -> r;
        };
    }

    private double longRun(ReduceOp op, double[] x, int base, int length) {
        double r = pieces(PIECES_F64, op, x, base, length);
        return switch (op) {
            case MEAN -> r / length;
            case ARGMAX -> firstIndexOf(x, base, length, r);
            default -> r;
        };
    }

    /**
     * Reduces pieces of {@link Simd#GRAIN} elements of the run in parallel with {@code piece} (the
     * kernel for {@code x}'s type), then combines their results in order (so the result does not
     * depend on the thread count).
     */
    private double pieces(Kernel piece, ReduceOp op, Object x, int base, int length) {
        int count = (length + GRAIN - 1) / GRAIN;
        double[] partial = Scratch.local().doubles(Scratch.CALL, count, false);
        parallel.launch(count, 1, piece, parallel.args().put(partOp(op)).put(x).put(base).put(length).put(partial));
        double r = partial[0];
        for (int p = 1; p < count; p++) {
            r = switch (partOp(op)) {
                case MAX -> Math.max(r, partial[p]);
                case MIN -> Math.min(r, partial[p]);
                default -> r + partial[p];
            };
        }
        return r;
    }

    /** Pieces {@code [from, to)} of a run, into {@code partial[p]}: (op, x, base, length, partial). */
    private static final Kernel PIECES_F32 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        float[] x = a.ref(1);
        double[] partial = a.ref(4);
        int base = a.i(2), length = a.i(3);
        for (int p = from; p < to; p++) {
            int start = p * GRAIN;
            partial[p] = row(op, x, base + start, Math.min(GRAIN, length - start));
        }
    };

    private static final Kernel PIECES_F64 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        double[] x = a.ref(1);
        double[] partial = a.ref(4);
        int base = a.i(2), length = a.i(3);
        for (int p = from; p < to; p++) {
            int start = p * GRAIN;
            partial[p] = row(op, x, base + start, Math.min(GRAIN, length - start));
        }
    };

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

    /**
     * Reduces one {@code [length, inner]} slab into {@code out[0, inner)}, in cache-sized column tiles
     * of {@code tile} columns; {@code scratch} and {@code total} hold at least {@code tile} elements.
     */
    private static void slab(ReduceOp op, float[] x, int base, int inner, int length, float[] out, int outOff,
                             int tile, float[] scratch, double[] total) {
        for (int c = 0; c < inner; c += tile) {
            columns(op, x, base + c, inner, length, Math.min(tile, inner - c), out, outOff + c, scratch, total);
        }
    }

    /**
     * Reduces one slab with too few outputs to share out: row chunks reduce in parallel into
     * partial rows, which are then combined in chunk order (ARGMAX partials are row indices
     * within their chunk; the combination looks their values up).
     */
    private void splitSlab(ReduceOp op, float[] x, int base, int inner, int length, float[] out, int outOff) {
        int chunks = Simd.rowChunks(parallel, length, inner);
        float[] partial = Scratch.local().floats(Scratch.CALL, chunks * inner, false); // chunk k's row at k * inner
        ReduceOp chunkOp = op == ReduceOp.MEAN ? ReduceOp.SUM : op; // divide once, at the end
        parallel.launch(chunks, 1, SLAB_CHUNKS_F32,
                parallel.args().put(chunkOp).put(x).put(base).put(inner).put(length).put(chunks).put(partial));
        for (int c = 0; c < inner; c++) {
            double r = partial[c];
            for (int k = 1; k < chunks; k++) {
                float p = partial[k * inner + c];
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
     * Row chunks {@code [from, to)} of one slab, chunk {@code k} into {@code partial[k * inner, (k + 1) * inner)}:
     * (op, x, base, inner, length, chunks, partial).
     */
    private static final Kernel SLAB_CHUNKS_F32 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        float[] x = a.ref(1);
        float[] partial = a.ref(6);
        int base = a.i(2), inner = a.i(3), length = a.i(4), chunks = a.i(5);
        int tile = Math.min(inner, COLUMN_TILE);
        float[] scratch = Scratch.local().floats(Scratch.PART, tile, false);
        double[] total = Scratch.local().doubles(Scratch.PART, tile, false);
        for (int k = from; k < to; k++) {
            int r0 = Simd.chunkStart(length, k, chunks);
            int r1 = Simd.chunkStart(length, k + 1, chunks);
            slab(op, x, base + r0 * inner, inner, r1 - r0, partial, k * inner, tile, scratch, total);
        }
    };

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
                             int tile, double[] scratch) {
        for (int c = 0; c < inner; c += tile) {
            columns(op, x, base + c, inner, length, Math.min(tile, inner - c), out, outOff + c, scratch);
        }
    }

    private void splitSlab(ReduceOp op, double[] x, int base, int inner, int length, double[] out, int outOff) {
        int chunks = Simd.rowChunks(parallel, length, inner);
        double[] partial = Scratch.local().doubles(Scratch.CALL, chunks * inner, false);
        ReduceOp chunkOp = op == ReduceOp.MEAN ? ReduceOp.SUM : op;
        parallel.launch(chunks, 1, SLAB_CHUNKS_F64,
                parallel.args().put(chunkOp).put(x).put(base).put(inner).put(length).put(chunks).put(partial));
        for (int c = 0; c < inner; c++) {
            double r = partial[c];
            for (int k = 1; k < chunks; k++) {
                double p = partial[k * inner + c];
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

    private static final Kernel SLAB_CHUNKS_F64 = (a, from, to) -> {
        ReduceOp op = a.ref(0);
        double[] x = a.ref(1);
        double[] partial = a.ref(6);
        int base = a.i(2), inner = a.i(3), length = a.i(4), chunks = a.i(5);
        int tile = Math.min(inner, COLUMN_TILE);
        double[] scratch = Scratch.local().doubles(Scratch.PART, tile, false);
        for (int k = from; k < to; k++) {
            int r0 = Simd.chunkStart(length, k, chunks);
            int r1 = Simd.chunkStart(length, k + 1, chunks);
            slab(op, x, base + r0 * inner, inner, r1 - r0, partial, k * inner, tile, scratch);
        }
    };

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
