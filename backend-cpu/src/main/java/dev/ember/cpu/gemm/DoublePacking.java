package dev.ember.cpu.gemm;

import static dev.ember.cpu.gemm.DoubleMicroKernel.L;
import static dev.ember.cpu.gemm.DoubleMicroKernel.MR;
import static dev.ember.cpu.gemm.DoubleMicroKernel.NR;
import static dev.ember.cpu.gemm.DoubleMicroKernel.SPECIES;

import java.util.Arrays;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the micro-kernel's layout, absorbing the transposes (and
 * alpha, on A), so one kernel serves all four cases. Micro-panel {@code q} of a block packed with
 * depth {@code kc} starts at {@code q * MR * kc} (A) or {@code q * NR * kc} (B); rows of A past
 * {@code m} and columns of B past {@code n} are zero. Whole A panels are packed with vectors: rows
 * of a transposed A are contiguous ({@code MR}-lane loads), a plain A is gathered, {@code L}
 * values a time, through {@code index}, a caller-owned scratch of at least {@code L} ints. A
 * transposed B is copied column by column (unlike F32, gathering it measured slower).
 */
final class DoublePacking {
    /** {@code MR} lanes: one packed column of an A micro-panel. */
    private static final VectorSpecies<Double> COLUMN =
            VectorSpecies.of(double.class, VectorShape.forBitSize(MR * Double.SIZE));
    /** Packed A columns one gather fills. */
    private static final int GATHERED_COLUMNS = L / MR;

    private DoublePacking() {
    }

    /** Packs {@code alpha * op(A)[i0 : i0+mc, p0 : p0+kc]} into MR-row micro-panels. */
    static void packA(boolean transA, double alpha, double[] a, int aOff, int lda,
                      int i0, int mc, int p0, int kc, double[] dst, int[] index) {
        if (!transA && mc >= MR) {   // lane t of a gather reads row t % MR, column t / MR
            for (int t = 0; t < L; t++) {
                index[t] = t % MR * lda + t / MR;
            }
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), d = ir * kc, i = i0 + ir;
            if (rows < MR) {
                Arrays.fill(dst, d, d + MR * kc, 0.0);
                packPartialA(transA, alpha, a, aOff, lda, i, rows, p0, kc, dst, d);
            } else if (transA) {
                packTransposedA(alpha, a, aOff + p0 * lda + i, lda, kc, dst, d);
            } else {
                packRowsA(alpha, a, aOff + i * lda + p0, lda, kc, dst, d, index);
            }
        }
    }

    /** A whole micro-panel of a transposed A: {@code op(A)[i, p] = a[p * lda + i]}, rows contiguous. */
    private static void packTransposedA(double alpha, double[] a, int s, int lda, int kc, double[] dst, int d) {
        for (int p = 0; p < kc; p++, s += lda, d += MR) {
            DoubleVector.fromArray(COLUMN, a, s).mul(alpha).intoArray(dst, d);
        }
    }

    /** A whole micro-panel of a plain A: {@code op(A)[i, p] = a[i * lda + p]}, MR row streams gathered. */
    private static void packRowsA(double alpha, double[] a, int s, int lda, int kc, double[] dst, int d, int[] index) {
        int p = 0;
        for (; p <= kc - GATHERED_COLUMNS; p += GATHERED_COLUMNS, s += GATHERED_COLUMNS, d += L) {
            DoubleVector.fromArray(SPECIES, a, s, index, 0).mul(alpha).intoArray(dst, d);
        }
        for (; p < kc; p++, s++, d += MR) {
            for (int r = 0; r < MR; r++) {
                dst[d + r] = alpha * a[s + r * lda];
            }
        }
    }

    /** The last, partial micro-panel ({@code rows < MR}), element by element. */
    private static void packPartialA(boolean transA, double alpha, double[] a, int aOff, int lda,
                                     int i, int rows, int p0, int kc, double[] dst, int d) {
        if (transA) {
            for (int p = 0, s = aOff + p0 * lda + i; p < kc; p++, s += lda, d += MR) {
                for (int r = 0; r < rows; r++) {
                    dst[d + r] = alpha * a[s + r];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                for (int p = 0, s = aOff + (i + r) * lda + p0; p < kc; p++) {
                    dst[d + p * MR + r] = alpha * a[s + p];
                }
            }
        }
    }

    /** Packs {@code op(B)[p0 : p0+kc, j0 : j0+nc]} into NR-column micro-panels. */
    static void packB(boolean transB, double[] b, int bOff, int ldb,
                      int p0, int kc, int j0, int nc, double[] dst) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr), d = jr * kc, j = j0 + jr;
            if (cols < NR) {
                Arrays.fill(dst, d, d + NR * kc, 0.0);
            }
            if (transB) {            // op(B)[p, j] = b[j * ldb + p]: columns are contiguous
                for (int col = 0; col < cols; col++) {
                    for (int p = 0, s = bOff + (j + col) * ldb + p0; p < kc; p++) {
                        dst[d + p * NR + col] = b[s + p];
                    }
                }
            } else if (cols == NR) { // op(B)[p, j] = b[p * ldb + j]: whole vectors
                for (int p = 0, s = bOff + p0 * ldb + j; p < kc; p++, s += ldb, d += NR) {
                    for (int v = 0; v < NR; v += L) {
                        DoubleVector.fromArray(SPECIES, b, s + v).intoArray(dst, d + v);
                    }
                }
            } else {
                for (int p = 0, s = bOff + p0 * ldb + j; p < kc; p++, s += ldb, d += NR) {
                    System.arraycopy(b, s, dst, d, cols);
                }
            }
        }
    }
}
