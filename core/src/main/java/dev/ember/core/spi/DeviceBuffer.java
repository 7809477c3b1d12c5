package dev.ember.core.spi;

import dev.ember.core.DType;

/**
 * A block of backend memory holding {@link #length()} elements of one {@link DType}. Buffers are
 * created by {@link Backend#allocate} and handed back to {@link Backend#free}; the core's
 * {@code Tensor} owns them, so user code never frees one by hand.
 */
public interface DeviceBuffer {
    DType dtype();

    /** Number of elements. */
    int length();

    /** The backend that allocated this buffer (operations reject buffers of another backend). */
    Backend backend();

    default long bytes() {
        return (long) length() * dtype().bytes();
    }
}
