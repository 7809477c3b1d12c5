package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import org.jocl.CL;
import org.jocl.cl_mem;

import java.util.concurrent.atomic.AtomicBoolean;

/** A {@code cl_mem} of one dtype. Released at most once, from any thread (the Cleaner's included). */
final class OpenClBuffer implements DeviceBuffer {
    private final OpenClBackend backend;
    private final DType dtype;
    private final int length;
    private final AtomicBoolean released = new AtomicBoolean();
    final cl_mem mem;

    OpenClBuffer(OpenClBackend backend, DType dtype, int length, cl_mem mem) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.mem = mem;
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

    /**
     * Releases the memory object; true the first time. clReleaseMemObject is thread-safe, and OpenCL
     * defers the actual free until queued commands that use the buffer have finished.
     */
    boolean release() {
        if (!released.compareAndSet(false, true)) {
            return false;
        }
        CL.clReleaseMemObject(mem);
        return true;
    }

    boolean isReleased() {
        return released.get();
    }
}
