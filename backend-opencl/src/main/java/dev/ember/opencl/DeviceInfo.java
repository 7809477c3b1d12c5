package dev.ember.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.Locale;

/**
 * One OpenCL device and the limits the backend needs: work-group and local-memory sizes pick the
 * GEMM tiles, {@code fp64} decides whether F64 kernels are built, and the memory sizes bound what
 * {@code allocate} asks the driver for.
 *
 * @param index             flat index over all platforms' devices, as used by {@code -Dember.opencl.device}
 * @param globalMemBytes    {@code CL_DEVICE_GLOBAL_MEM_SIZE}: all buffers together
 * @param maxMemAllocBytes  {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}: one buffer
 */
public record DeviceInfo(int index, cl_platform_id platform, cl_device_id device, String platformName,
                         String name, long type, int computeUnits, long localMemBytes, long maxWorkGroupSize,
                         long globalMemBytes, long maxMemAllocBytes, boolean fp64, String version) {

    public boolean isGpu() {
        return (type & org.jocl.CL.CL_DEVICE_TYPE_GPU) != 0;
    }

    public boolean isAccelerator() {
        return (type & org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR) != 0;
    }

    public boolean isCpu() {
        return (type & org.jocl.CL.CL_DEVICE_TYPE_CPU) != 0;
    }

    /** GPU, accelerator, CPU or other. */
    public String typeName() {
        return isGpu() ? "GPU" : isAccelerator() ? "accelerator" : isCpu() ? "CPU" : "other";
    }

    /** Priority for {@code auto}: a GPU beats the native CPU backend (50), a CPU device (PoCL) never does. */
    public int priority() {
        return isGpu() ? OpenClProvider.PRIORITY_GPU
                : isAccelerator() ? OpenClProvider.PRIORITY_ACCELERATOR : OpenClProvider.PRIORITY_CPU;
    }

    /** What {@code ember info} shows. */
    public String describe() {
        return String.format(Locale.ROOT, "%s / %s (%s, %d compute units, %d KiB local memory, fp64 %s)",
                platformName, name, typeName(), computeUnits, localMemBytes / 1024, fp64 ? "yes" : "no");
    }

    /** Identity of the device for cache keys: platform and device handles plus the name for readability. */
    String key() {
        return platformName + "|" + name + "|" + index;
    }
}
