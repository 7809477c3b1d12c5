package dev.ember.cpu.gemm;

import dev.ember.cpu.kernels.Parallel;

/**
 * GEMM entry points of the CPU backend. PLACEHOLDER: a plain triple loop, to be replaced by the
 * packed, blocked Vector API implementation.
 */
public final class Gemm {
    private final Parallel parallel;

    public Gemm(Parallel parallel) {
        this.parallel = parallel;
    }

    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
                      float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * s + (beta == 0 ? 0 : beta * c[ci]);
            }
        }
    }

    public void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                      double[] a, int aOff, int lda, double[] b, int bOff, int ldb, double beta,
                      double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = alpha * s + (beta == 0 ? 0 : beta * c[ci]);
            }
        }
    }
}
