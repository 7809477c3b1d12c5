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
        parallel.forRange(length, GRAIN, (from, to) -> Arrays.fill(dst, offset + from, offset + to, value));
    }

    public void fill(double[] dst, int offset, int length, double value) {
        parallel.forRange(length, GRAIN, (from, to) -> Arrays.fill(dst, offset + from, offset + to, value));
    }

    // ---------------------------------------------------------------- cast and copy

    public void cast(float[] src, int srcOffset, double[] dst, int dstOffset, int length) {
        parallel.forRange(length, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                dst[dstOffset + i] = src[srcOffset + i];
            }
        });
    }

    public void cast(double[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        parallel.forRange(length, GRAIN, (from, to) -> {
            for (int i = from; i < to; i++) {
                dst[dstOffset + i] = (float) src[srcOffset + i];
            }
        });
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
        parallel.forRange(length, GRAIN,
                (from, to) -> System.arraycopy(src, srcOffset + from, dst, dstOffset + from, to - from));
    }

    // ---------------------------------------------------------------- strided gather

    public void copyStrided(float[] src, int srcOffset, int[] shape, int[] strides, float[] dst, int dstOffset) {
        StridedView v = StridedView.of(shape, strides);
        if (v == null) {
            return;
        }
        if (v.isTranspose()) {
            parallel.forRange(v.batches() * v.rowTiles(), Simd.grain(GRAIN, (long) TILE * v.inner()),
                    (from, to) -> transposeTiles(src, srcOffset, v, dst, dstOffset, from, to));
            return;
        }
        int n = v.inner();
        int stride = v.innerStride();
        parallel.forRange(v.rows(), Simd.grain(GRAIN, n), (from, to) -> {
            StridedView.Walker rows = v.walker(from);
            for (int r = from; r < to; r++, rows.next()) {
                int s = srcOffset + rows.offset();
                int d = dstOffset + r * n;
                if (stride == 1) {
                    System.arraycopy(src, s, dst, d, n);
                } else if (stride == 0) {
                    Arrays.fill(dst, d, d + n, src[s]);
                } else {
                    for (int j = 0; j < n; j++) {
                        dst[d + j] = src[s + j * stride];
                    }
                }
            }
        });
    }

    public void copyStrided(double[] src, int srcOffset, int[] shape, int[] strides, double[] dst, int dstOffset) {
        StridedView v = StridedView.of(shape, strides);
        if (v == null) {
            return;
        }
        if (v.isTranspose()) {
            parallel.forRange(v.batches() * v.rowTiles(), Simd.grain(GRAIN, (long) TILE * v.inner()),
                    (from, to) -> transposeTiles(src, srcOffset, v, dst, dstOffset, from, to));
            return;
        }
        int n = v.inner();
        int stride = v.innerStride();
        parallel.forRange(v.rows(), Simd.grain(GRAIN, n), (from, to) -> {
            StridedView.Walker rows = v.walker(from);
            for (int r = from; r < to; r++, rows.next()) {
                int s = srcOffset + rows.offset();
                int d = dstOffset + r * n;
                if (stride == 1) {
                    System.arraycopy(src, s, dst, d, n);
                } else if (stride == 0) {
                    Arrays.fill(dst, d, d + n, src[s]);
                } else {
                    for (int j = 0; j < n; j++) {
                        dst[d + j] = src[s + j * stride];
                    }
                }
            }
        });
    }

    /**
     * Copies tiles {@code [from, to)} of a view whose two innermost axes are transposed in memory
     * (the last axis strided, the one before it contiguous): each {@code TILE x TILE} block reads
     * whole cache lines of the source instead of one element per line.
     */
    private static void transposeTiles(float[] src, int srcOffset, StridedView v, float[] dst, int dstOffset,
                                       int from, int to) {
        int rows = v.transposeRows();
        int cols = v.inner();
        int colStride = v.innerStride();
        for (int t = from; t < to; t++) {
            int batch = t / v.rowTiles();
            int r0 = (t % v.rowTiles()) * TILE;
            int r1 = Math.min(rows, r0 + TILE);
            int s = srcOffset + v.batchOffset(batch);
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
    }

    private static void transposeTiles(double[] src, int srcOffset, StridedView v, double[] dst, int dstOffset,
                                       int from, int to) {
        int rows = v.transposeRows();
        int cols = v.inner();
        int colStride = v.innerStride();
        for (int t = from; t < to; t++) {
            int batch = t / v.rowTiles();
            int r0 = (t % v.rowTiles()) * TILE;
            int r1 = Math.min(rows, r0 + TILE);
            int s = srcOffset + v.batchOffset(batch);
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
    }

    /**
     * A strided view simplified for copying: size-1 axes dropped and adjacent axes merged where
     * memory is contiguous across them, leaving rows of {@link #inner()} elements read with
     * {@link #innerStride()}, addressed through the remaining outer axes.
     */
    static final class StridedView {
        private final int[] outerShape;
        private final int[] outerStrides;
        private final int inner;
        private final int innerStride;
        private final int rows;

        private StridedView(int[] outerShape, int[] outerStrides, int inner, int innerStride) {
            this.outerShape = outerShape;
            this.outerStrides = outerStrides;
            this.inner = inner;
            this.innerStride = innerStride;
            int r = 1;
            for (int s : outerShape) {
                r *= s;
            }
            this.rows = r;
        }

        /** The simplified view, or null when it has no elements. */
        static StridedView of(int[] shape, int[] strides) {
            int rank = 0;
            int[] dims = new int[shape.length];
            int[] steps = new int[shape.length];
            for (int k = 0; k < shape.length; k++) {
                if (shape[k] == 0) {
                    return null;
                }
                if (shape[k] == 1) {
                    continue; // its stride never matters
                }
                if (rank > 0 && steps[rank - 1] == strides[k] * shape[k]) {
                    dims[rank - 1] *= shape[k]; // merge: stepping the outer axis continues the inner one
                    steps[rank - 1] = strides[k];
                    continue;
                }
                dims[rank] = shape[k];
                steps[rank] = strides[k];
                rank++;
            }
            if (rank == 0) {
                return new StridedView(new int[0], new int[0], 1, 1);
            }
            return new StridedView(Arrays.copyOf(dims, rank - 1), Arrays.copyOf(steps, rank - 1),
                    dims[rank - 1], steps[rank - 1]);
        }

        int inner() {
            return inner;
        }

        int innerStride() {
            return innerStride;
        }

        int rows() {
            return rows;
        }

        /** The two innermost axes are swapped in memory and large enough for tiling to pay. */
        boolean isTranspose() {
            int k = outerShape.length - 1;
            return k >= 0 && outerStrides[k] == 1 && innerStride != 0 && Math.abs(innerStride) != 1
                    && outerShape[k] >= TILE && inner >= TILE;
        }

        /** For a transpose: the length of the contiguous (second-innermost) axis. */
        int transposeRows() {
            return outerShape[outerShape.length - 1];
        }

        int rowTiles() {
            return (transposeRows() + TILE - 1) / TILE;
        }

        /** For a transpose: the number of (rows x inner) matrices. */
        int batches() {
            return rows / transposeRows();
        }

        /** For a transpose: the source offset of matrix {@code batch}, decoded over the batch axes. */
        int batchOffset(int batch) {
            int offset = 0;
            for (int k = outerShape.length - 2; k >= 0; k--) {
                offset += (batch % outerShape[k]) * outerStrides[k];
                batch /= outerShape[k];
            }
            return offset;
        }

        Walker walker(int firstRow) {
            return new Walker(firstRow);
        }

        /** Steps through rows in row-major order, keeping the source offset of the current row. */
        final class Walker {
            private final int[] index = new int[outerShape.length];
            private int offset;

            private Walker(int row) {
                for (int k = outerShape.length - 1; k >= 0; k--) {
                    index[k] = row % outerShape[k];
                    offset += index[k] * outerStrides[k];
                    row /= outerShape[k];
                }
            }

            int offset() {
                return offset;
            }

            void next() {
                for (int k = outerShape.length - 1; k >= 0; k--) {
                    offset += outerStrides[k];
                    if (++index[k] < outerShape[k]) {
                        return;
                    }
                    offset -= outerStrides[k] * outerShape[k];
                    index[k] = 0;
                }
            }
        }
    }
}
