package dev.ember.cuda;

import dev.ember.core.DType;
import dev.ember.gpu.GpuBuffer;
import jcuda.driver.CUdeviceptr;

/** Device memory of one dtype from {@code cuMemAlloc(Async)}. */
final class CudaBuffer extends GpuBuffer {
    private final CUdeviceptr pointer;

    CudaBuffer(CudaBackend backend, DType dtype, int length, CUdeviceptr pointer) {
        super(backend, dtype, length);
        this.pointer = pointer;
    }

    CUdeviceptr pointer() {
        return pointer;
    }
}
