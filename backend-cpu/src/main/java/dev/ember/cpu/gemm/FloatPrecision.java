package dev.ember.cpu.gemm;

import static dev.ember.cpu.gemm.FloatMicroKernel.MR;
import static dev.ember.cpu.gemm.FloatMicroKernel.NR;

import java.util.Arrays;

/** F32 for {@link GemmDriver}: {@link FloatPacking} and {@link FloatMicroKernel} on {@code float[]}. */
final class FloatPrecision extends GemmPrecision {
    static final FloatPrecision INSTANCE = new FloatPrecision();

    private FloatPrecision() {
        super(Float.BYTES, MR, NR, FloatMicroKernel.L);
    }

    @Override
    Object allocate(int length) {
        return new float[length];
    }

    @Override
    int length(Object array) {
        return ((float[]) array).length;
    }

    @Override
    void packA(boolean transA, double alpha, Object a, int aOff, int lda, int i0, int mc, int p0, int kc,
               Object dst, int[] index) {
        FloatPacking.packA(transA, (float) alpha, (float[]) a, aOff, lda, i0, mc, p0, kc, (float[]) dst, index);
    }

    @Override
    void packB(boolean transB, Object b, int bOff, int ldb, int p0, int kc, int j0, int nc, Object dst,
               int[] index) {
        FloatPacking.packB(transB, (float[]) b, bOff, ldb, p0, kc, j0, nc, (float[]) dst, index);
    }

    @Override
    void macroKernel(int mc, int nc, int kc, Object packedA, int ao, Object packedB, Object c, int co, int ldc,
                     boolean overwrite, double beta, Object edge) {
        float[] pa = (float[]) packedA, pb = (float[]) packedB, cc = (float[]) c, scratch = (float[]) edge;
        float s = (float) beta;
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                FloatMicroKernel.tile(kc, pa, ao + ir * kc, pb, jr * kc, cc, co + ir * ldc + jr, ldc,
                        Math.min(MR, mc - ir), cols, overwrite, s, scratch);
            }
        }
    }

    @Override
    void small(boolean transA, boolean transB, int m, int n, int k, double alpha, Object a, int aOff, int lda,
               Object b, int bOff, int ldb, double beta, Object c, int cOff, int ldc) {
        FloatSmallGemm.gemm(transA, transB, m, n, k, (float) alpha, (float[]) a, aOff, lda, (float[]) b, bOff, ldb,
                (float) beta, (float[]) c, cOff, ldc);
    }

    @Override
    void scale(int m, int n, double beta, Object c, int cOff, int ldc) {
        float[] cc = (float[]) c;
        float s = (float) beta;
        for (int i = 0, row = cOff; i < m; i++, row += ldc) {
            if (s == 0) {
                Arrays.fill(cc, row, row + n, 0f);
            } else if (s != 1) {
                for (int j = row; j < row + n; j++) {
                    cc[j] *= s;
                }
            }
        }
    }
}
