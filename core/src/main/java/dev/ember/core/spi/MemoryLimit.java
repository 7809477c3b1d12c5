package dev.ember.core.spi;

import dev.ember.core.OutOfDeviceMemoryException;

/**
 * A cap on the bytes a backend's live buffers take together: the {@value #OPTION} option that every
 * backend accepts ({@code -Dember.BACKEND.memoryLimit}), for a service that shares a device, and for
 * tests that run out of memory without using much. Zero means no cap beyond the device's own.
 *
 * @param bytes the cap, or 0 for none
 */
public record MemoryLimit(long bytes) {
    /** The option's name. */
    public static final String OPTION = "memoryLimit";
    /** No cap. */
    public static final MemoryLimit NONE = new MemoryLimit(0);

    /** @throws IllegalArgumentException if {@code bytes} is negative */
    public MemoryLimit {
        if (bytes < 0) {
            throw new IllegalArgumentException(OPTION + ": must be >= 0 bytes, got " + bytes);
        }
    }

    /** The {@value #OPTION} option of {@code options} (0 when unset). */
    public static MemoryLimit of(BackendOptions options) {
        return new MemoryLimit(options.nonNegativeLong(OPTION, 0));
    }

    /**
     * Throws {@link OutOfDeviceMemoryException} if {@code requestedBytes} more do not fit under the
     * cap beside the {@code liveBytes} the backend holds; does nothing without a cap.
     */
    public void check(String backend, long requestedBytes, long liveBytes) {
        if (bytes > 0 && requestedBytes > bytes - liveBytes) {
            throw new OutOfDeviceMemoryException(backend, requestedBytes, Math.max(0, bytes - liveBytes),
                    "the " + OPTION + " option, " + bytes + " bytes", null);
        }
    }
}
