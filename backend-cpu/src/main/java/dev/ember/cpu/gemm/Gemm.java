package dev.ember.cpu.gemm;

import dev.ember.cpu.kernels.Parallel;

/**
 * GEMM entry points of the CPU backend: {@code C = alpha * op(A) * op(B) + beta * C} on row-major
 * arrays with BLAS-style leading dimensions and offsets. Packed, cache-blocked and register-blocked
 * on the Vector API: one loop nest ({@link GemmDriver}) over a per-precision strategy
 * ({@link FloatPrecision}, {@link DoublePrecision}); multi-threaded over {@code parallel} for all
 * but small products. When {@code beta == 0} the old contents of C are never read.
 */
public final class Gemm {
    private final GemmDriver sgemm;
    private final GemmDriver dgemm;

    public Gemm(Parallel parallel) {
        this.sgemm = new GemmDriver(parallel, FloatPrecision.INSTANCE);
        this.dgemm = new GemmDriver(parallel, DoublePrecision.INSTANCE);
    }

    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
                      float[] c, int cOff, int ldc) {
        sgemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
                      double[] c, int cOff, int ldc) {
        dgemm.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
