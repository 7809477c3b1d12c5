package dev.ember.gpu;

import dev.ember.core.spi.DeviceBuffer;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Plans {@code copyStrided}: drops unit axes and merges axes that are contiguous with each other (most
 * views become rank 1 or 2), then launches the rank-6 kernel once, or once per index of the outer
 * axes when more than six remain.
 */
public final class StridedCopy {
    /** The kernel's rank; views of higher rank are split over their outer axes. */
    static final int KERNEL_RANK = 6;

    private StridedCopy() {
    }

    /** Copies the strided view of {@code src} into {@code dst}, densely; {@code kernel} starts each launch. */
    public static void run(Supplier<KernelArgs> kernel, LaunchGrid grid, DeviceBuffer src, int srcOffset, int[] shape,
                           int[] srcStrides, DeviceBuffer dst, int dstOffset) {
        int[] dims = new int[shape.length];
        int[] strides = new int[shape.length];
        int rank = 0;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 1) {
                continue;
            }
            if (rank > 0 && strides[rank - 1] == (long) srcStrides[k] * shape[k]) {
                dims[rank - 1] *= shape[k];
                strides[rank - 1] = srcStrides[k];
            } else {
                dims[rank] = shape[k];
                strides[rank] = srcStrides[k];
                rank++;
            }
        }
        int outer = Math.max(0, rank - KERNEL_RANK);
        int[] kd = new int[KERNEL_RANK];
        int[] ks = new int[KERNEL_RANK];
        Arrays.fill(kd, 1); // left-padded with extent 1, stride 0
        int innerCount = 1;
        for (int k = outer; k < rank; k++) {
            kd[KERNEL_RANK - (rank - k)] = dims[k];
            ks[KERNEL_RANK - (rank - k)] = strides[k];
            innerCount *= dims[k];
        }
        int[] index = new int[outer];
        for (int dstAt = dstOffset; ; dstAt += innerCount) {
            int srcAt = srcOffset;
            for (int k = 0; k < outer; k++) {
                srcAt += index[k] * strides[k];
            }
            KernelArgs launch = kernel.get().buffer(src, srcAt).buffer(dst, dstAt).i(innerCount);
            for (int v : kd) {
                launch.i(v);
            }
            for (int v : ks) {
                launch.i(v);
            }
            launch.run(grid.linear(innerCount), grid.local());
            int k = outer - 1; // odometer over the outer axes
            while (k >= 0 && ++index[k] == dims[k]) {
                index[k--] = 0;
            }
            if (k < 0) {
                return;
            }
        }
    }
}
