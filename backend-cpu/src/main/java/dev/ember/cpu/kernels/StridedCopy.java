package dev.ember.cpu.kernels;

import static dev.ember.cpu.kernels.Simd.GRAIN;

/**
 * The plan of a strided gather, the same for both dtypes (their row and tile kernels are in the
 * generated {@code FloatCopyKernels} and {@code DoubleCopyKernels}).
 *
 * <p>A strided view is copied with size-1 axes dropped and adjacent axes merged where memory is
 * contiguous across them, leaving rows of {@code inner} elements read with {@code innerStride},
 * addressed through the remaining outer axes. The merged view is not built as arrays (that would
 * be garbage on every call): a merged axis is a run of the caller's axes, and an offset decoded
 * over a run's axes equals the one decoded over the merged axis, so the kernels get the two
 * innermost merged axes as scalars (the row, and the {@code outer} axis that steps rows) and
 * decode the axes before those from the caller's shape and strides.
 */
final class StridedCopy {
    /** Side of the square tiles a transposing copy works in, so both sides stay in cache. */
    static final int TILE = 16;

    private StridedCopy() {
    }

    /**
     * Launches {@code rowKernel} over the rows of the view, or {@code tileKernel} over its tiles when
     * the two innermost axes are swapped in memory and large enough for tiling to pay. Both take
     * (src, srcOffset, dst, dstOffset, shape, strides, inner, innerStride, outerStart, outer,
     * outerStride): the row is the merged axis of {@code inner} elements, {@code outer} the merged
     * axis before it, made of the caller's axes from {@code outerStart}.
     */
    static void gather(Parallel parallel, Object src, int srcOffset, int[] shape, int[] strides, Object dst,
                       int dstOffset, Kernel rowKernel, Kernel tileKernel) {
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
