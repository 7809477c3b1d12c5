package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.gpu.GpuBuffer;
import org.jocl.CL;
import org.jocl.cl_mem;

/** A {@code cl_mem} of one dtype. Released at most once, from any thread (the Cleaner's included). */
final class OpenClBuffer extends GpuBuffer {
    final cl_mem mem;

    OpenClBuffer(OpenClBackend backend, DType dtype, int length, cl_mem mem) {
        super(backend, dtype, length);
        this.mem = mem;
    }

    /**
     * Releases the memory object; true the first time. clReleaseMemObject is thread-safe, and OpenCL
     * defers the actual free until queued commands that use the buffer have finished.
     */
    boolean release() {
        if (!markReleased()) {
            return false;
        }
        CL.clReleaseMemObject(mem);
        return true;
    }
}
