package dev.ember.cuda;

import java.util.Locale;

/**
 * One CUDA device as the driver describes it.
 *
 * @param index              ordinal for {@code cuDeviceGet}
 * @param name               e.g. "NVIDIA H200"
 * @param major              compute capability, major
 * @param minor              compute capability, minor
 * @param multiprocessors    streaming multiprocessors
 * @param totalBytes         global memory
 * @param maxThreadsPerBlock largest thread block
 * @param memoryPools        whether stream-ordered allocation ({@code cuMemAllocAsync}) is supported
 * @param driverVersion      the driver's CUDA version, as {@code cuDriverGetVersion} gives it (13000 = 13.0)
 */
public record CudaDevice(int index, String name, int major, int minor, int multiprocessors, long totalBytes,
                         int maxThreadsPerBlock, boolean memoryPools, int driverVersion) {
    /** One line for {@code ember info} and error messages. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (device %d, compute capability %d.%d, %d SMs, %.1f GiB, driver CUDA %s)",
                name, index, major, minor, multiprocessors, totalBytes / (double) (1L << 30), version(driverVersion));
    }

    /** A driver-style version number (12060) as text ("12.6"). */
    static String version(int v) {
        return (v / 1000) + "." + (v % 1000) / 10;
    }
}
