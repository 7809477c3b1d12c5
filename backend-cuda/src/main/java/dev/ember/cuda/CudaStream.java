package dev.ember.cuda;

import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One backend's stream: kernels are enqueued on it in order, without host waits. It is a blocking
 * stream (flag 0), so the synchronous copies of the legacy default stream wait for the kernels queued
 * here and the kernels queued later wait for them: a write or read needs no explicit event.
 */
final class CudaStream {
    private final CUstream handle = new CUstream();
    private final AtomicLong launches = new AtomicLong();

    CudaStream() {
        Cuda.check(JCudaDriver.cuStreamCreate(handle, 0), "create stream", "cuStreamCreate");
    }

    CUstream handle() {
        return handle;
    }

    void launched() {
        launches.incrementAndGet();
    }

    /** Kernel launches enqueued so far. */
    long launches() {
        return launches.get();
    }

    void synchronize(String operation) {
        Cuda.check(JCudaDriver.cuStreamSynchronize(handle), operation, "cuStreamSynchronize");
    }

    void destroy() {
        JCudaDriver.cuStreamDestroy(handle);
    }
}
