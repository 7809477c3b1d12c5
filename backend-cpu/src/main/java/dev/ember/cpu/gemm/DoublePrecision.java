package dev.ember.cpu.gemm;

import static dev.ember.cpu.gemm.DoubleMicroKernel.MR;
import static dev.ember.cpu.gemm.DoubleMicroKernel.NR;

import java.util.Arrays;

/** F64 for {@link GemmDriver}: {@link DoublePacking} and {@link DoubleMicroKernel} on {@code double[]}. */
final class DoublePrecision extends GemmPrecision {
    static final DoublePrecision INSTANCE = new DoublePrecision();

    private DoublePrecision() {
        super(Double.BYTES, MR, NR, DoubleMicroKernel.L);
    }

    @Override
    Object allocate(int length) {
        return new double[length];
    }

    @Override
    int length(Object array) {
        return ((double[]) array).length;
    }

    @Override
    void packA(boolean transA, double alpha, Object a, int aOff, int lda, int i0, int mc, int p0, int kc,
               Object dst, int[] index) {
        DoublePacking.packA(transA, alpha, (double[]) a, aOff, lda, i0, mc, p0, kc, (double[]) dst, index);
    }

    @Override
    void packB(boolean transB, Object b, int bOff, int ldb, int p0, int kc, int j0, int nc, Object dst,
               int[] index) {
        DoublePacking.packB(transB, (double[]) b, bOff, ldb, p0, kc, j0, nc, (double[]) dst);
    }

    @Override
    void macroKernel(int mc, int nc, int kc, Object packedA, int ao, Object packedB, Object c, int co, int ldc,
                     boolean overwrite, double beta, Object edge) {
        double[] pa = (double[]) packedA, pb = (double[]) packedB, cc = (double[]) c, scratch = (double[]) edge;
        double s = beta;
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                DoubleMicroKernel.tile(kc, pa, ao + ir * kc, pb, jr * kc, cc, co + ir * ldc + jr, ldc,
                        Math.min(MR, mc - ir), cols, overwrite, s, scratch);
            }
        }
    }

    @Override
    void small(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda,
               Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
        DoubleSmallGemm.gemm(transA, transB, m, n, k, alpha, (double[]) a, aOff, lda, (double[]) b, bOff, ldb,
                beta, (double[]) c, cOff, ldc);
    }

    @Override
    void scale(int m, int n, double beta, Object c, int cOff, int ldc) {
        double[] cc = (double[]) c;
        double s = beta;
        for (int i = 0, row = cOff; i < m; i++, row += ldc) {
            if (s == 0) {
                Arrays.fill(cc, row, row + n, 0.0);
            } else if (s != 1) {
                for (int j = row; j < row + n; j++) {
                    cc[j] *= s;
                }
            }
        }
    }
}
