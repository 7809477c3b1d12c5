package dev.ember.cuda;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import jcuda.driver.CUdeviceptr;

import java.util.concurrent.atomic.AtomicBoolean;

/** Device memory of one dtype. Freed at most once, from any thread (the reclaimer's included). */
final class CudaBuffer implements DeviceBuffer {
    private final CudaBackend backend;
    private final DType dtype;
    private final int length;
    private final CUdeviceptr pointer;
    private final AtomicBoolean released = new AtomicBoolean();

    CudaBuffer(CudaBackend backend, DType dtype, int length, CUdeviceptr pointer) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.pointer = pointer;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    CUdeviceptr pointer() {
        return pointer;
    }

    /** Marks the buffer freed; true the first time only, so the memory is returned once. */
    boolean markReleased() {
        return released.compareAndSet(false, true);
    }

    boolean isReleased() {
        return released.get();
    }
}
