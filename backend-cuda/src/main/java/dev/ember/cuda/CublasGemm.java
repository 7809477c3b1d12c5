package dev.ember.cuda;

import dev.ember.core.DType;

/**
 * GEMM through cuBLAS, for the {@code gemm=cublas} option: one handle per backend, used by one thread
 * at a time (a cuBLAS handle is not thread-safe), enqueued on the backend's stream, so its products
 * fall in line with the backend's kernels and {@code synchronize()} waits for them.
 */
final class CublasGemm implements AutoCloseable {
    private final Cublas.Handle handle;

    private CublasGemm(Cublas.Handle handle) {
        this.handle = handle;
    }

    /**
     * A handle in the current context on {@code stream}, TF32 tensor ops when {@code tf32}; fails with
     * cuBLAS's reason if it is missing.
     */
    static CublasGemm open(boolean tf32, CudaStream stream) {
        Cublas cublas = CudaLibraries.cublas();
        if (!cublas.available()) {
            throw new IllegalStateException("cuda: option gemm=cublas, but " + cublas.reason());
        }
        return new CublasGemm(cublas.create(tf32 ? Cublas.MathMode.TF32_TENSOR_OP : Cublas.MathMode.DEFAULT,
                DeviceAddress.handle(stream.handle())));
    }

    synchronized void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha, long a,
                           int lda, long b, int ldb, double beta, long c, int ldc) {
        handle.gemm(dtype, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public synchronized void close() {
        handle.close();
    }
}
