package dev.ember.cpu.gemm;

import static dev.ember.cpu.gemm.FloatMicroKernel.L;
import static dev.ember.cpu.gemm.FloatMicroKernel.MR;
import static dev.ember.cpu.gemm.FloatMicroKernel.NR;
import static dev.ember.cpu.gemm.FloatMicroKernel.SPECIES;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies blocks of op(A) and op(B) into the micro-kernel's layout, absorbing the transposes (and
 * alpha, on A), so one kernel serves all four cases. Micro-panel {@code q} of a block packed with
 * depth {@code kc} starts at {@code q * MR * kc} (A) or {@code q * NR * kc} (B); rows of A past
 * {@code m} and columns of B past {@code n} are zero. Whole panels are packed with vectors: rows
 * of a transposed A are contiguous ({@code MR}-lane loads); a plain A and a transposed B are
 * gathered, {@code L} values a time, through {@code index}, a caller-owned scratch of at least
 * {@code L} ints.
 */
final class FloatPacking {
    /** {@code MR} lanes: one packed column of an A micro-panel. */
    private static final VectorSpecies<Float> COLUMN =
            VectorSpecies.of(float.class, VectorShape.forBitSize(MR * Float.SIZE));
    /** Packed A columns one gather fills. */
    private static final int GATHERED_COLUMNS = L / MR;
    /** Whether {@link #packRowsA} transposes in registers: 16 lanes, four rows (AVX-512). */
    private static final boolean TRANSPOSES = L == 16 && MR == 4;
    /**
     * Two-vector selections ({@link FloatVector#selectFrom(jdk.incubator.vector.Vector,
     * jdk.incubator.vector.Vector)}: index {@code L + t} is lane t of the second vector) of the
     * 4 x 16 transpose: interleave two rows lane by lane, then two such pairs pair by pair.
     */
    private static final FloatVector ZIP_LO = indices(t -> t % 2 * L + t / 2);
    private static final FloatVector ZIP_HI = indices(t -> t % 2 * L + t / 2 + L / 2);
    private static final FloatVector PAIRS_LO = indices(t -> t / 2 % 2 * L + t / 4 * 2 + t % 2);
    private static final FloatVector PAIRS_HI = indices(t -> t / 2 % 2 * L + t / 4 * 2 + t % 2 + L / 2);

    private FloatPacking() {
    }

    /** An index vector for {@code selectFrom}: lane t holds {@code lane(t)}. */
    private static FloatVector indices(IntUnaryOperator lane) {
        float[] index = new float[L];
        for (int t = 0; t < L; t++) {
            index[t] = lane.applyAsInt(t);
        }
        return FloatVector.fromArray(SPECIES, index, 0);
    }

    /** Packs {@code alpha * op(A)[i0 : i0+mc, p0 : p0+kc]} into MR-row micro-panels. */
    static void packA(boolean transA, float alpha, float[] a, int aOff, int lda,
                      int i0, int mc, int p0, int kc, float[] dst, int[] index) {
        if (!transA && mc >= MR) {   // lane t of a gather reads row t % MR, column t / MR
            for (int t = 0; t < L; t++) {
                index[t] = t % MR * lda + t / MR;
            }
        }
        for (int ir = 0; ir < mc; ir += MR) {
            int rows = Math.min(MR, mc - ir), d = ir * kc, i = i0 + ir;
            if (rows < MR) {
                Arrays.fill(dst, d, d + MR * kc, 0f);
                packPartialA(transA, alpha, a, aOff, lda, i, rows, p0, kc, dst, d);
            } else if (transA) {
                packTransposedA(alpha, a, aOff + p0 * lda + i, lda, kc, dst, d);
            } else {
                packRowsA(alpha, a, aOff + i * lda + p0, lda, kc, dst, d, index);
            }
        }
    }

    /** A whole micro-panel of a transposed A: {@code op(A)[i, p] = a[p * lda + i]}, rows contiguous. */
    private static void packTransposedA(float alpha, float[] a, int s, int lda, int kc, float[] dst, int d) {
        for (int p = 0; p < kc; p++, s += lda, d += MR) {
            FloatVector.fromArray(COLUMN, a, s).mul(alpha).intoArray(dst, d);
        }
    }

    /**
     * A whole micro-panel of a plain A: {@code op(A)[i, p] = a[i * lda + p]}. Where a vector
     * holds exactly {@code MR} packed columns ({@link #TRANSPOSES}), {@code L} columns of the
     * {@code MR} rows are loaded as {@code MR} vectors and transposed in registers; otherwise the
     * row streams are gathered.
     */
    private static void packRowsA(float alpha, float[] a, int s, int lda, int kc, float[] dst, int d, int[] index) {
        int p = 0;
        if (TRANSPOSES) {
            for (; p <= kc - L; p += L, s += L, d += MR * L) {
                FloatVector r0 = FloatVector.fromArray(SPECIES, a, s).mul(alpha);
                FloatVector r1 = FloatVector.fromArray(SPECIES, a, s + lda).mul(alpha);
                FloatVector r2 = FloatVector.fromArray(SPECIES, a, s + 2 * lda).mul(alpha);
                FloatVector r3 = FloatVector.fromArray(SPECIES, a, s + 3 * lda).mul(alpha);
                FloatVector t0 = ZIP_LO.selectFrom(r0, r1), t1 = ZIP_HI.selectFrom(r0, r1);
                FloatVector t2 = ZIP_LO.selectFrom(r2, r3), t3 = ZIP_HI.selectFrom(r2, r3);
                PAIRS_LO.selectFrom(t0, t2).intoArray(dst, d);
                PAIRS_HI.selectFrom(t0, t2).intoArray(dst, d + L);
                PAIRS_LO.selectFrom(t1, t3).intoArray(dst, d + 2 * L);
                PAIRS_HI.selectFrom(t1, t3).intoArray(dst, d + 3 * L);
            }
        }
        for (; p <= kc - GATHERED_COLUMNS; p += GATHERED_COLUMNS, s += GATHERED_COLUMNS, d += L) {
            FloatVector.fromArray(SPECIES, a, s, index, 0).mul(alpha).intoArray(dst, d);
        }
        for (; p < kc; p++, s++, d += MR) {
            for (int r = 0; r < MR; r++) {
                dst[d + r] = alpha * a[s + r * lda];
            }
        }
    }

    /** The last, partial micro-panel ({@code rows < MR}), element by element. */
    private static void packPartialA(boolean transA, float alpha, float[] a, int aOff, int lda,
                                     int i, int rows, int p0, int kc, float[] dst, int d) {
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
    static void packB(boolean transB, float[] b, int bOff, int ldb,
                      int p0, int kc, int j0, int nc, float[] dst, int[] index) {
        if (transB && nc >= NR) {    // lane t of a gather reads column t
            for (int t = 0; t < L; t++) {
                index[t] = t * ldb;
            }
        }
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr), d = jr * kc, j = j0 + jr;
            if (cols < NR) {
                Arrays.fill(dst, d, d + NR * kc, 0f);
            }
            if (transB && cols == NR) { // op(B)[p, j] = b[j * ldb + p]: gather a row of the panel
                packTransposedB(b, bOff + j * ldb + p0, ldb, kc, dst, d, index);
            } else if (transB) {     // columns are contiguous
                for (int col = 0; col < cols; col++) {
                    for (int p = 0, s = bOff + (j + col) * ldb + p0; p < kc; p++) {
                        dst[d + p * NR + col] = b[s + p];
                    }
                }
            } else if (cols == NR) { // op(B)[p, j] = b[p * ldb + j]: whole vectors
                for (int p = 0, s = bOff + p0 * ldb + j; p < kc; p++, s += ldb, d += NR) {
                    for (int v = 0; v < NR; v += L) {
                        FloatVector.fromArray(SPECIES, b, s + v).intoArray(dst, d + v);
                    }
                }
            } else {
                for (int p = 0, s = bOff + p0 * ldb + j; p < kc; p++, s += ldb, d += NR) {
                    System.arraycopy(b, s, dst, d, cols);
                }
            }
        }
    }

    /** A whole micro-panel of a transposed B: each row of the panel gathered from NR columns. */
    private static void packTransposedB(float[] b, int s, int ldb, int kc, float[] dst, int d, int[] index) {
        for (int p = 0; p < kc; p++, s++, d += NR) {
            for (int v = 0; v < NR; v += L) {
                FloatVector.fromArray(SPECIES, b, s + v * ldb, index, 0).intoArray(dst, d + v);
            }
        }
    }
}
