package dev.ember.opencl;

import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.spi.MemoryLimit;

import java.util.OptionalLong;

/**
 * What one OpenCL backend may still allocate, checked before the driver sees a request: a driver
 * such as PoCL on the CPU accepts any buffer up to its nominal size and aborts the whole process
 * later if the host cannot back it, so a request that cannot fit must be refused here.
 */
final class MemoryBudget {
    /** Below this a request is not worth a read of /proc/meminfo: only large buffers fail the host's malloc. */
    static final long HOST_CHECK_BYTES = 16L << 20;

    private final DeviceInfo device;
    private final MemoryLimit limit;

    MemoryBudget(DeviceInfo device, MemoryLimit limit) {
        this.device = device;
        this.limit = limit;
    }

    /**
     * Throws {@link OutOfDeviceMemoryException} unless {@code bytes} fit: under the backend's
     * {@link MemoryLimit}, in one buffer of the device, beside the {@code liveBytes} this backend
     * holds, and, on a CPU device, in the host's free memory.
     */
    void check(long bytes, long liveBytes) {
        limit.check(OpenClProvider.NAME, bytes, liveBytes);
        if (bytes > device.maxMemAllocBytes()) {
            throw refused(bytes, liveBytes, "CL_DEVICE_MAX_MEM_ALLOC_SIZE of " + device.name() + ", "
                    + device.maxMemAllocBytes() + " bytes per buffer", null);
        }
        if (bytes > device.globalMemBytes() - liveBytes) {
            throw refused(bytes, liveBytes, "CL_DEVICE_GLOBAL_MEM_SIZE of " + device.name() + ", "
                    + device.globalMemBytes() + " bytes", null);
        }
        if (device.isCpu() && bytes >= HOST_CHECK_BYTES) {
            OptionalLong host = HostMemory.available();
            if (host.isPresent() && bytes > host.getAsLong()) {
                throw new OutOfDeviceMemoryException(OpenClProvider.NAME, bytes, host.getAsLong(),
                        "the host's available memory (MemAvailable), which backs this CPU device's buffers", null);
            }
        }
    }

    /** The exception for a refused request of {@code bytes}, naming the limit {@code which} refused it. */
    OutOfDeviceMemoryException refused(long bytes, long liveBytes, String which, Throwable cause) {
        long room = limit.bytes() > 0 ? Math.min(limit.bytes(), device.globalMemBytes()) : device.globalMemBytes();
        long free = Math.max(0, Math.min(room - liveBytes, device.maxMemAllocBytes()));
        return new OutOfDeviceMemoryException(OpenClProvider.NAME, bytes, free, which, cause);
    }
}
