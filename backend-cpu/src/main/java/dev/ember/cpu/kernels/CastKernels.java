package dev.ember.cpu.kernels;

import static dev.ember.cpu.kernels.Simd.GRAIN;

/**
 * Copies between buffers, of one dtype or converting F32 to F64 and back. These are memory bound;
 * plain loops are enough because C2 vectorises copies and F32/F64 conversions.
 */
public final class CastKernels {
    private final Parallel parallel;

    public CastKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    public void cast(float[] src, int srcOffset, double[] dst, int dstOffset, int length) {
        parallel.launch(length, GRAIN, WIDEN, parallel.args().put(src).put(srcOffset).put(dst).put(dstOffset));
    }

    public void cast(double[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        parallel.launch(length, GRAIN, NARROW, parallel.args().put(src).put(srcOffset).put(dst).put(dstOffset));
    }

    /** Copies {@code length} elements between two arrays of one type ({@code float[]} or {@code double[]}). */
    public void copy(Object src, int srcOffset, Object dst, int dstOffset, int length) {
        if (src == dst && Math.abs(srcOffset - dstOffset) < length) {
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
}
