package dev.ember.cpu.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F64 register tile: {@code MR} rows by {@code NR} = two preferred-width vectors of columns,
 * eight accumulators that stay in registers (a taller or wider tile spills on AVX2's 16 vector
 * registers). Operands come packed: an A micro-panel holds {@code kc} columns of {@code MR}
 * values, a B micro-panel {@code kc} rows of {@code NR} values, both zero-padded.
 */
final class DoubleMicroKernel {
    static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    static final int L = SPECIES.length();
    static final int MR = 4;
    static final int NR = 2 * L;

    private DoubleMicroKernel() {
    }

    /**
     * Computes {@code C[0:rows, 0:cols] = A~ B~ + beta * C}, or {@code = A~ B~} without reading C
     * when {@code overwrite}; a partial tile ({@code rows < MR} or {@code cols < NR}) goes through
     * {@code edge}, an {@code MR * NR} scratch array.
     */
    static void tile(int kc, double[] a, int ao, double[] b, int bo, double[] c, int co, int ldc,
                     int rows, int cols, boolean overwrite, double beta, double[] edge) {
        DoubleVector c00 = DoubleVector.zero(SPECIES), c01 = c00, c10 = c00, c11 = c00;
        DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++, ao += MR, bo += NR) {
            DoubleVector b0 = DoubleVector.fromArray(SPECIES, b, bo);
            DoubleVector b1 = DoubleVector.fromArray(SPECIES, b, bo + L);
            DoubleVector x = DoubleVector.broadcast(SPECIES, a[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(SPECIES, a[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(SPECIES, a[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(SPECIES, a[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
        }
        if (rows == MR && cols == NR) {
            DoubleVector s = DoubleVector.broadcast(SPECIES, beta);
            store(c00, c, co, overwrite, s);
            store(c01, c, co + L, overwrite, s);
            store(c10, c, co += ldc, overwrite, s);
            store(c11, c, co + L, overwrite, s);
            store(c20, c, co += ldc, overwrite, s);
            store(c21, c, co + L, overwrite, s);
            store(c30, c, co += ldc, overwrite, s);
            store(c31, c, co + L, overwrite, s);
        } else {
            c00.intoArray(edge, 0);
            c01.intoArray(edge, L);
            c10.intoArray(edge, NR);
            c11.intoArray(edge, NR + L);
            c20.intoArray(edge, 2 * NR);
            c21.intoArray(edge, 2 * NR + L);
            c30.intoArray(edge, 3 * NR);
            c31.intoArray(edge, 3 * NR + L);
            for (int r = 0; r < rows; r++, co += ldc) {
                for (int j = 0; j < cols; j++) {
                    double v = edge[r * NR + j];
                    c[co + j] = overwrite ? v : Math.fma(beta, c[co + j], v);
                }
            }
        }
    }

    private static void store(DoubleVector acc, double[] c, int co, boolean overwrite, DoubleVector beta) {
        (overwrite ? acc : DoubleVector.fromArray(SPECIES, c, co).fma(beta, acc)).intoArray(c, co);
    }
}
