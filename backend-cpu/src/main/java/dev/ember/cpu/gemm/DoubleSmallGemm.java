package dev.ember.cpu.gemm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * F64 GEMM for products too small to repay packing (see {@link GemmDriver#SMALL_WORK}, {@link
 * GemmDriver#SMALL_ROWS_WORK}): loops straight over the caller's arrays on the calling thread,
 * ordered for contiguous access. With a transposed B and a plain A at least one vector deep, each
 * element is a vector dot product of two contiguous rows. Otherwise, when {@link #rowsPay}, rows of
 * C are built from rows of op(B) (four rows of C share each B load; a row narrower than a vector is
 * one masked vector), a transposed B first copied into a row-major scratch (it holds at most
 * {@value #SCRATCH} elements here). Anything else runs scalar, as one dot product per element when
 * {@code k} is short and as rank-1 updates of C when it is long (independent accumulations rather
 * than one long dependency chain). {@code beta == 0} never reads C. Measured on the products of a
 * 2-5-2-1 network at batch 64 (F32): 64x5x2 NN 267 -> 146 ns, 5x2x64 TN 558 -> 195 ns, against the scalar
 * loops.
 */
final class DoubleSmallGemm {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int L = SPECIES.length();
    /** Elements of a transposed B copied row-major: small products have at most this much work. */
    static final int SCRATCH = 1024;
    private static final ThreadLocal<double[]> TRANSPOSED_B = ThreadLocal.withInitial(() -> new double[SCRATCH]);

    private DoubleSmallGemm() {
    }

    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        // op(A)[i, p] = a[aOff + i * ars + p * acs], op(B)[p, j] = b[bOff + p * brs + j * bcs]
        int ars = transA ? 1 : lda, acs = transA ? lda : 1;
        int brs = transB ? 1 : ldb, bcs = transB ? ldb : 1;
        if (transB && !transA && k >= L) {
            dots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (!transB && rowsPay(n, k)) {
            rowsOfB(m, n, k, alpha, a, aOff, ars, acs, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (transB && rowsPay(n, k) && k * n <= SCRATCH) {
            double[] bt = TRANSPOSED_B.get();
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bt[p * n + j] = b[bOff + p + j * ldb];
                }
            }
            rowsOfB(m, n, k, alpha, a, aOff, ars, acs, bt, 0, n, beta, c, cOff, ldc);
        } else if (m >= n && m >= k) {
            columns(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, ldc);
        } else if (k >= n) {
            scalarDots(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, ldc);
        } else {
            rankOne(m, n, k, alpha, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, ldc);
        }
    }

    /**
     * Whether building rows of C from rows of B beats the scalar loops: a single column never does;
     * two columns only over a depth above 4 (measured 64x2x1 NT 81 ns scalar against 138 ns, 5x2x64
     * TN 558 ns scalar against 197 ns).
     */
    private static boolean rowsPay(int n, int k) {
        return n >= 4 || (n >= 2 && k > 4);
    }

    /** {@code C[i, :] = alpha sum_p op(A)[i, p] B[p, :] + beta C[i, :]}, vectors along {@code n}. */
    private static void rowsOfB(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        int tail = n % L, whole = n - tail;
        VectorMask<Double> mask = SPECIES.indexInRange(0, tail);
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * ars, c0 = cOff + i * ldc;
            for (int j = 0; j < n; j += L) {
                VectorMask<Double> lanes = j < whole ? SPECIES.maskAll(true) : mask;
                DoubleVector s0 = DoubleVector.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0, ap = a0, bp = bOff + j; p < k; p++, ap += acs, bp += ldb) {
                    DoubleVector bv = DoubleVector.fromArray(SPECIES, b, bp, lanes);
                    s0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(bv, s0);
                    s1 = DoubleVector.broadcast(SPECIES, a[ap + ars]).fma(bv, s1);
                    s2 = DoubleVector.broadcast(SPECIES, a[ap + 2 * ars]).fma(bv, s2);
                    s3 = DoubleVector.broadcast(SPECIES, a[ap + 3 * ars]).fma(bv, s3);
                }
                store(s0, alpha, beta, c, c0 + j, lanes);
                store(s1, alpha, beta, c, c0 + ldc + j, lanes);
                store(s2, alpha, beta, c, c0 + 2 * ldc + j, lanes);
                store(s3, alpha, beta, c, c0 + 3 * ldc + j, lanes);
            }
        }
        for (; i < m; i++) {
            int a0 = aOff + i * ars, c0 = cOff + i * ldc;
            for (int j = 0; j < n; j += L) {
                VectorMask<Double> lanes = j < whole ? SPECIES.maskAll(true) : mask;
                DoubleVector s0 = DoubleVector.zero(SPECIES);
                for (int p = 0, ap = a0, bp = bOff + j; p < k; p++, ap += acs, bp += ldb) {
                    s0 = DoubleVector.broadcast(SPECIES, a[ap]).fma(DoubleVector.fromArray(SPECIES, b, bp, lanes), s0);
                }
                store(s0, alpha, beta, c, c0 + j, lanes);
            }
        }
    }

    private static void store(DoubleVector sum, double alpha, double beta, double[] c, int co, VectorMask<Double> lanes) {
        DoubleVector v = sum.mul(alpha);
        if (beta != 0) {
            v = DoubleVector.fromArray(SPECIES, c, co, lanes).fma(DoubleVector.broadcast(SPECIES, beta), v);
        }
        v.intoArray(c, co, lanes);
    }

    /** A plain A and a transposed B: {@code C[i, j]} is a dot product of two contiguous rows. */
    private static void dots(int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                             double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        int whole = k - k % L;
        VectorMask<Double> mask = SPECIES.indexInRange(whole, k);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda, ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * ldb;
                DoubleVector s = DoubleVector.zero(SPECIES);
                int p = 0;
                for (; p < whole; p += L) {
                    s = DoubleVector.fromArray(SPECIES, a, ai + p).fma(DoubleVector.fromArray(SPECIES, b, bj + p), s);
                }
                if (p < k) {
                    s = DoubleVector.fromArray(SPECIES, a, ai + p, mask)
                            .fma(DoubleVector.fromArray(SPECIES, b, bj + p, mask), s);
                }
                double v = alpha * s.reduceLanes(VectorOperators.ADD);
                c[ci + j] = beta == 0 ? v : Math.fma(beta, c[ci + j], v);
            }
        }
    }

    /** Scalar, one dot product per element of C (the depth is the longest side), in four partial sums. */
    private static void scalarDots(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                   double[] b, int bOff, int brs, int bcs, double beta, double[] c, int cOff, int ldc) {
        int whole = k & ~3;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * ars, ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int p = 0, ap = ai, bp = bOff + j * bcs;
                for (; p < whole; p += 4, ap += 4 * acs, bp += 4 * brs) {
                    s0 = Math.fma(a[ap], b[bp], s0);
                    s1 = Math.fma(a[ap + acs], b[bp + brs], s1);
                    s2 = Math.fma(a[ap + 2 * acs], b[bp + 2 * brs], s2);
                    s3 = Math.fma(a[ap + 3 * acs], b[bp + 3 * brs], s3);
                }
                for (; p < k; p++, ap += acs, bp += brs) {
                    s0 = Math.fma(a[ap], b[bp], s0);
                }
                double v = alpha * ((s0 + s1) + (s2 + s3));
                c[ci + j] = beta == 0 ? v : Math.fma(beta, c[ci + j], v);
            }
        }
    }

    /**
     * Scalar, for a tall C (the rows are the longest side): column by column, the rows innermost,
     * taking up to four steps of depth per sweep so that C is read and written once per four.
     */
    private static void columns(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                double[] b, int bOff, int brs, int bcs, double beta, double[] c, int cOff, int ldc) {
        for (int j = 0; j < n; j++) {
            int bj = bOff + j * bcs, cj = cOff + j;
            for (int p = 0; p < k; p += 4) {
                int depth = Math.min(4, k - p), ap = aOff + p * acs, bp = bj + p * brs;
                boolean first = p == 0;
                double s0 = alpha * b[bp];
                double s1 = depth > 1 ? alpha * b[bp + brs] : 0;
                double s2 = depth > 2 ? alpha * b[bp + 2 * brs] : 0;
                double s3 = depth > 3 ? alpha * b[bp + 3 * brs] : 0;
                if (depth == 4) {
                    for (int i = 0, ai = ap, ci = cj; i < m; i++, ai += ars, ci += ldc) {
                        double v = Math.fma(a[ai + 3 * acs], s3, Math.fma(a[ai + 2 * acs], s2,
                                Math.fma(a[ai + acs], s1, a[ai] * s0)));
                        c[ci] = start(first, beta, c[ci], v);
                    }
                } else if (depth == 3) {
                    for (int i = 0, ai = ap, ci = cj; i < m; i++, ai += ars, ci += ldc) {
                        double v = Math.fma(a[ai + 2 * acs], s2, Math.fma(a[ai + acs], s1, a[ai] * s0));
                        c[ci] = start(first, beta, c[ci], v);
                    }
                } else if (depth == 2) {
                    for (int i = 0, ai = ap, ci = cj; i < m; i++, ai += ars, ci += ldc) {
                        c[ci] = start(first, beta, c[ci], Math.fma(a[ai + acs], s1, a[ai] * s0));
                    }
                } else {
                    for (int i = 0, ai = ap, ci = cj; i < m; i++, ai += ars, ci += ldc) {
                        c[ci] = start(first, beta, c[ci], a[ai] * s0);
                    }
                }
            }
        }
    }

    /** {@code v} plus the old element: {@code beta c} on the first sweep (nothing when beta is 0), {@code c} after. */
    private static double start(boolean first, double beta, double c, double v) {
        return !first ? c + v : beta == 0 ? v : Math.fma(beta, c, v);
    }

    /** Scalar rank-1 updates, {@code C += alpha op(A)[:, p] op(B)[p, :]} for each {@code p}, after scaling C. */
    private static void rankOne(int m, int n, int k, double alpha, double[] a, int aOff, int ars, int acs,
                                double[] b, int bOff, int brs, int bcs, double beta, double[] c, int cOff, int ldc) {
        DoublePrecision.INSTANCE.scale(m, n, beta, c, cOff, ldc);
        for (int p = 0; p < k; p++) {
            int bp = bOff + p * brs;
            for (int i = 0; i < m; i++) {
                double s = alpha * a[aOff + i * ars + p * acs];
                for (int j = 0, ci = cOff + i * ldc, bj = bp; j < n; j++, bj += bcs) {
                    c[ci + j] = Math.fma(s, b[bj], c[ci + j]);
                }
            }
        }
    }
}
