package dev.ember.cpu.gemm;

import static dev.ember.cpu.gemm.FloatMicroKernel.MR;
import static dev.ember.cpu.gemm.FloatMicroKernel.NR;

import java.util.Arrays;

import dev.ember.cpu.kernels.Parallel;

/**
 * F32 GEMM, Goto/BLIS style: for each {@code nc}-wide panel of op(B) and {@code kc}-deep slice,
 * pack the {@code kc x nc} B panel, then for each {@code mc}-tall block of op(A) pack it and sweep
 * the register tile over it. Threads take independent parts of C ({@link GemmPartition}); pack
 * buffers are per thread and reused.
 */
final class Sgemm {
    private static final GemmBlocking BLOCKING = GemmBlocking.of(Float.BYTES, MR, NR);

    private final Parallel parallel;
    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    Sgemm(Parallel parallel) {
        this.parallel = parallel;
    }

    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta,
              float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        GemmPartition grid = GemmPartition.of(m, n, k, parallel.threads(), MR, NR);
        if (grid.parts() == 1) {
            block(transA, transB, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, 0, m, 0, n);
            return;
        }
        parallel.forEachPart(grid.parts(), part -> block(transA, transB, k, alpha, a, aOff, lda,
                b, bOff, ldb, beta, c, cOff, ldc,
                grid.rowStart(part), grid.rowEnd(part), grid.colStart(part), grid.colEnd(part)));
    }

    /** The blocked loop nest for {@code C[i0:i1, j0:j1]}, on the calling thread. */
    private void block(boolean transA, boolean transB, int k, float alpha, float[] a, int aOff, int lda,
                       float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                       int i0, int i1, int j0, int j1) {
        int kcMax = GemmBlocking.balanced(k, BLOCKING.kc(), 1);
        int mcMax = GemmBlocking.balanced(i1 - i0, BLOCKING.mc(), MR);
        int ncMax = GemmBlocking.balanced(j1 - j0, BLOCKING.nc(), NR);
        Workspace ws = workspaces.get();
        float[] packedA = ws.a(mcMax * kcMax);
        float[] packedB = ws.b(kcMax * ncMax);
        for (int jc = j0; jc < j1; jc += ncMax) {
            int nc = Math.min(ncMax, j1 - jc);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean overwrite = pc == 0 && beta == 0;
                float scaleC = pc == 0 ? beta : 1;
                FloatPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, packedB);
                for (int ic = i0; ic < i1; ic += mcMax) {
                    int mc = Math.min(mcMax, i1 - ic);
                    FloatPacking.packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, packedA);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int cols = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            FloatMicroKernel.tile(kc, packedA, ir * kc, packedB, jr * kc,
                                    c, cOff + (ic + ir) * ldc + jc + jr, ldc,
                                    Math.min(MR, mc - ir), cols, overwrite, scaleC, ws.edge);
                        }
                    }
                }
            }
        }
    }

    /** {@code C = beta * C}, writing zeros without reading C when {@code beta == 0}. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0, row = cOff; i < m; i++, row += ldc) {
            if (beta == 0) {
                Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1) {
                for (int j = row; j < row + n; j++) {
                    c[j] *= beta;
                }
            }
        }
    }

    /** One thread's pack buffers, grown on demand and kept. */
    private static final class Workspace {
        final float[] edge = new float[MR * NR];
        private float[] a = new float[0];
        private float[] b = new float[0];

        float[] a(int size) {
            return a.length >= size ? a : (a = new float[size]);
        }

        float[] b(int size) {
            return b.length >= size ? b : (b = new float[size]);
        }
    }
}
