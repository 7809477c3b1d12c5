package dev.ember.cpu.kernels;

import java.util.Arrays;

import static dev.ember.cpu.kernels.Simd.GRAIN;

/**
 * Data movement: fill, dtype conversion and gathering a strided view into dense order. These are
 * memory bound; plain loops are enough because C2 vectorises fills, copies and F32/F64 conversions.
 */
public final class CopyKernels {
    /** Side of the square tiles a transposing copy works in, so both sides stay in cache. */
    private static final int TILE = 16;

    private final Parallel parallel;

    public CopyKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    // ---------------------------------------------------------------- fill

    public void fill(float[] dst, int offset, int length, float value) {
        parallel.launch(length, GRAIN, FILL_F32, parallel.args().put(dst).put(offset).put(value));
    }

    public void fill(double[] dst, int offset, int length, double value) {
        parallel.launch(length, GRAIN, FILL_F64, parallel.args().put(dst).put(offset).put(value));
    }

    /** Indices {@code [from, to)}: (dst, offset, value). */
    private static final Kernel FILL_F32 = (a, from, to) -> {
        float[] dst = a.ref(0);
        int offset = a.i(1);
        Arrays.fill(dst, offset + from, offset + to, a.f(2));
    };

    private static final Kernel FILL_F64 = (a, from, to) -> {
        double[] dst = a.ref(0);
        int offset = a.i(1);
        Arrays.fill(dst, offset + from, offset + to, a.d(2));
    };

    // ---------------------------------------------------------------- cast and copy

    public void cast(float[] src, int srcOffset, double[] dst, int dstOffset, int length) {
        parallel.launch(length, GRAIN, WIDEN, parallel.args().put(src).put(srcOffset).put(dst).put(dstOffset));
    }

    public void cast(double[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        parallel.launch(length, GRAIN, NARROW, parallel.args().put(src).put(srcOffset).put(dst).put(dstOffset));
    }

    public void copy(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        arraycopy(src, srcOffset, dst, dstOffset, length, src == dst);
    }

    public void copy(double[] src, int srcOffset, double[] dst, int dstOffset, int length) {
        arraycopy(src, srcOffset, dst, dstOffset, length, src == dst);
    }

    private void arraycopy(Object src, int srcOffset, Object dst, int dstOffset, int length, boolean sameArray) {
        if (sameArray && Math.abs(srcOffset - dstOffset) < length) {
            System.arraycopy(src, srcOffset, dst, dstOffset, length); // overlapping: one call handles it
            return;
        }
        parallel.launch(length, GRAIN, ARRAYCOPY, parallel.args().put(src).put(srcOffset).put(dst).put(dstOffset));
    }

    /** F32 to F64, indices {@code [from, to)}: (src, srcOffset, dst, dstOffset). */
    private static final Kernel WIDEN = (a, from, to) -> {
        float[] src = a.ref(0);
        double[] dst = a.ref(2);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        for (int i = from; i < to; i++) {
            dst[dstOffset + i] = src[srcOffset + i];
        }
    };

    /** F64 to F32, indices {@code [from, to)}: (src, srcOffset, dst, dstOffset). */
    private static final Kernel NARROW = (a, from, to) -> {
        double[] src = a.ref(0);
        float[] dst = a.ref(2);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        for (int i = from; i < to; i++) {
            dst[dstOffset + i] = (float) src[srcOffset + i];
        }
    };

    /** Either dtype, indices {@code [from, to)}: (src, srcOffset, dst, dstOffset), not overlapping. */
    private static final Kernel ARRAYCOPY = (a, from, to) -> {
        Object src = a.ref(0), dst = a.ref(2);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        System.arraycopy(src, srcOffset + from, dst, dstOffset + from, to - from);
    };

    // ---------------------------------------------------------------- strided gather
    //
    // A strided view is copied with size-1 axes dropped and adjacent axes merged where memory is
    // contiguous across them, leaving rows of `inner` elements read with `innerStride`, addressed
    // through the remaining outer axes. The merged view is not built as arrays (that would be garbage
    // on every call): a merged axis is a run of the caller's axes, and an offset decoded over a run's
    // axes equals the one decoded over the merged axis, so the kernels get the two innermost merged
    // axes as scalars (the row, and the `outer` axis that steps rows) and decode the axes before those
    // from the caller's shape and strides.

    public void copyStrided(float[] src, int srcOffset, int[] shape, int[] strides, float[] dst, int dstOffset) {
        gather(src, srcOffset, shape, strides, dst, dstOffset, ROWS_F32, TILES_F32);
    }

    public void copyStrided(double[] src, int srcOffset, int[] shape, int[] strides, double[] dst, int dstOffset) {
        gather(src, srcOffset, shape, strides, dst, dstOffset, ROWS_F64, TILES_F64);
    }

    /**
     * Launches {@code rowKernel} over the rows of the view, or {@code tileKernel} over its tiles when
     * the two innermost axes are swapped in memory and large enough for tiling to pay. Both take
     * (src, srcOffset, dst, dstOffset, shape, strides, inner, innerStride, outerStart, outer,
     * outerStride): the row is the merged axis of {@code inner} elements, {@code outer} the merged
     * axis before it, made of the caller's axes from {@code outerStart}.
     */
    private void gather(Object src, int srcOffset, int[] shape, int[] strides, Object dst, int dstOffset,
                        Kernel rowKernel, Kernel tileKernel) {
        for (int size : shape) {
            if (size == 0) {
                return;
            }
        }
        int innerStart = runStart(shape, strides, shape.length);
        int inner = volume(shape, innerStart, shape.length);
        int innerStride = runStride(shape, strides, innerStart, shape.length);
        int outerStart = runStart(shape, strides, innerStart);
        int outer = volume(shape, outerStart, innerStart);
        int outerStride = runStride(shape, strides, outerStart, innerStart);
        int rows = volume(shape, 0, innerStart);
        Args args = parallel.args().put(src).put(srcOffset).put(dst).put(dstOffset).put(shape).put(strides)
                .put(inner).put(innerStride).put(outerStart).put(outer).put(outerStride);
        boolean transpose = outerStride == 1 && innerStride != 0 && Math.abs(innerStride) != 1
                && outer >= TILE && inner >= TILE;
        if (transpose) {
            int rowTiles = (outer + TILE - 1) / TILE; // per (outer x inner) matrix, of which there are rows / outer
            parallel.launch(rows / outer * rowTiles, Simd.grain(GRAIN, (long) TILE * inner), tileKernel, args);
        } else {
            parallel.launch(rows, Simd.grain(GRAIN, inner), rowKernel, args);
        }
    }

    /** Rows {@code [from, to)} of the view, in row-major order (arguments as for {@link #gather}). */
    private static final Kernel ROWS_F32 = (a, from, to) -> {
        float[] src = a.ref(0), dst = a.ref(2);
        int[] shape = a.ref(4), strides = a.ref(5);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        int n = a.i(6), stride = a.i(7), outerStart = a.i(8), outer = a.i(9), outerStride = a.i(10);
        // row r is index r % outer of the outer axis in matrix r / outer
        int matrix = from / outer;
        int j = from % outer;
        int base = srcOffset + offsetOf(shape, strides, outerStart, matrix);
        for (int r = from; r < to; r++) {
            int s = base + j * outerStride;
            int d = dstOffset + r * n;
            if (stride == 1) {
                System.arraycopy(src, s, dst, d, n);
            } else if (stride == 0) {
                Arrays.fill(dst, d, d + n, src[s]);
            } else {
                for (int k = 0; k < n; k++) {
                    dst[d + k] = src[s + k * stride];
                }
            }
            if (++j == outer) {
                j = 0;
                base = srcOffset + offsetOf(shape, strides, outerStart, ++matrix);
            }
        }
    };

    private static final Kernel ROWS_F64 = (a, from, to) -> {
        double[] src = a.ref(0), dst = a.ref(2);
        int[] shape = a.ref(4), strides = a.ref(5);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        int n = a.i(6), stride = a.i(7), outerStart = a.i(8), outer = a.i(9), outerStride = a.i(10);
        // row r is index r % outer of the outer axis in matrix r / outer
        int matrix = from / outer;
        int j = from % outer;
        int base = srcOffset + offsetOf(shape, strides, outerStart, matrix);
        for (int r = from; r < to; r++) {
            int s = base + j * outerStride;
            int d = dstOffset + r * n;
            if (stride == 1) {
                System.arraycopy(src, s, dst, d, n);
            } else if (stride == 0) {
                Arrays.fill(dst, d, d + n, src[s]);
            } else {
                for (int k = 0; k < n; k++) {
                    dst[d + k] = src[s + k * stride];
                }
            }
            if (++j == outer) {
                j = 0;
                base = srcOffset + offsetOf(shape, strides, outerStart, ++matrix);
            }
        }
    };

    /**
     * Copies tiles {@code [from, to)} of a view whose two innermost axes are transposed in memory
     * (the last axis strided, the one before it contiguous): each {@code TILE x TILE} block reads
     * whole cache lines of the source instead of one element per line. Arguments as for
     * {@link #gather}; the {@code outer} axis is the tiles' rows, the {@code inner} one their columns.
     */
    private static final Kernel TILES_F32 = (a, from, to) -> {
        float[] src = a.ref(0), dst = a.ref(2);
        int[] shape = a.ref(4), strides = a.ref(5);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        int cols = a.i(6), colStride = a.i(7), outerStart = a.i(8), rows = a.i(9);
        int rowTiles = (rows + TILE - 1) / TILE;
        for (int t = from; t < to; t++) {
            int batch = t / rowTiles;
            int r0 = (t % rowTiles) * TILE;
            int r1 = Math.min(rows, r0 + TILE);
            int s = srcOffset + offsetOf(shape, strides, outerStart, batch);
            int d = dstOffset + batch * rows * cols;
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        dst[d + r * cols + c] = src[s + r + c * colStride];
                    }
                }
            }
        }
    };

    private static final Kernel TILES_F64 = (a, from, to) -> {
        double[] src = a.ref(0), dst = a.ref(2);
        int[] shape = a.ref(4), strides = a.ref(5);
        int srcOffset = a.i(1), dstOffset = a.i(3);
        int cols = a.i(6), colStride = a.i(7), outerStart = a.i(8), rows = a.i(9);
        int rowTiles = (rows + TILE - 1) / TILE;
        for (int t = from; t < to; t++) {
            int batch = t / rowTiles;
            int r0 = (t % rowTiles) * TILE;
            int r1 = Math.min(rows, r0 + TILE);
            int s = srcOffset + offsetOf(shape, strides, outerStart, batch);
            int d = dstOffset + batch * rows * cols;
            for (int c0 = 0; c0 < cols; c0 += TILE) {
                int c1 = Math.min(cols, c0 + TILE);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        dst[d + r * cols + c] = src[s + r + c * colStride];
                    }
                }
            }
        }
    };

    /**
     * The first of the axes that merge into one ending at axis {@code end} (exclusive): the last axis
     * of size above 1 before {@code end}, and each one before it whose stride continues it (stepping
     * the outer axis steps the inner one past its end). Size-1 axes never matter and merge freely;
     * returns {@code end} when every axis before it has size 1, an empty run of one element.
     */
    static int runStart(int[] shape, int[] strides, int end) {
        int start = end - 1;
        while (start >= 0 && shape[start] == 1) {
            start--;
        }
        if (start < 0) {
            return end;
        }
        for (int k = start - 1; k >= 0; k--) {
            if (shape[k] == 1) {
                continue;
            }
            if (strides[k] != strides[start] * shape[start]) {
                break;
            }
            start = k; // merge: stepping axis k continues axis start
        }
        return start;
    }

    /** The stride of the merged axes {@code [start, end)}: that of the last one of size above 1 (1 if none). */
    static int runStride(int[] shape, int[] strides, int start, int end) {
        for (int k = end - 1; k >= start; k--) {
            if (shape[k] != 1) {
                return strides[k];
            }
        }
        return 1;
    }

    /** The number of elements of axes {@code [start, end)}. */
    static int volume(int[] shape, int start, int end) {
        int n = 1;
        for (int k = start; k < end; k++) {
            n *= shape[k];
        }
        return n;
    }

    /** The source offset of index {@code index} of axes {@code [0, end)}, decoded in row-major order. */
    static int offsetOf(int[] shape, int[] strides, int end, int index) {
        int offset = 0;
        for (int k = end - 1; k >= 0; k--) {
            if (shape[k] != 1) {
                offset += (index % shape[k]) * strides[k];
                index /= shape[k];
            }
        }
        return offset;
    }
}
