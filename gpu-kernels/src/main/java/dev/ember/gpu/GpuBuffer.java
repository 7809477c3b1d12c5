package dev.ember.gpu;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A GPU backend's buffer: device memory of one dtype, released at most once from any thread (the
 * reclaimer's included). A subclass holds the driver's handle and frees it when {@link #markReleased}
 * first returns true.
 */
public abstract class GpuBuffer implements DeviceBuffer {
    private final Backend backend;
    private final DType dtype;
    private final int length;
    private final AtomicBoolean released = new AtomicBoolean();

    protected GpuBuffer(Backend backend, DType dtype, int length) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    @Override
    public final int length() {
        return length;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    /** Marks the buffer freed; true the first time only, so its memory is returned once. */
    public final boolean markReleased() {
        return released.compareAndSet(false, true);
    }

    /** Whether the buffer was freed (an operation on it is refused). */
    public final boolean isReleased() {
        return released.get();
    }
}
