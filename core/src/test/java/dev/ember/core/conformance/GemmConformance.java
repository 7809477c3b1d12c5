package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.LinearAlgebra;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import org.apache.commons.math3.linear.BlockRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.padded;
import static dev.ember.core.conformance.Host.read;
import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Backend#gemm} through {@link Tensor#matmul}, transposed and sliced views, {@link LinearAlgebra#gemmInto}
 * and direct SPI calls with leading dimensions, offsets, alpha and beta. The reference is Commons Math in
 * float64. Sizes come from 1, 3, 7, 17, 33, 64, 65, 127, 513 to hit tiling tails in every position.
 */
public interface GemmConformance extends ConformanceBase {

    /** (m, n, k) triples: every size appears, 513 in each position, tails against every tile edge. */
    int[][] TRIPLES = {
            {1, 1, 1}, {1, 1, 513}, {1, 513, 1}, {513, 1, 1}, {3, 3, 3},
            {3, 7, 17}, {7, 17, 3}, {17, 3, 7}, {33, 33, 33}, {64, 64, 64},
            {65, 65, 65}, {64, 65, 127}, {127, 64, 65}, {65, 127, 64}, {127, 127, 127},
            {7, 513, 33}, {513, 17, 7}, {33, 7, 513}, {513, 64, 3}, {3, 513, 64},
            {64, 3, 513}, {513, 65, 17}, {17, 513, 65}, {65, 17, 513}, {513, 127, 1},
            {1, 513, 127}, {127, 1, 513}, {513, 513, 7}, {513, 7, 513}, {7, 513, 513},
            {513, 513, 513}, {33, 127, 1}, {1, 33, 65}, {127, 3, 33}, {17, 64, 127},
            {65, 1, 64}, {33, 65, 17}, {64, 17, 33}, {127, 513, 65}, {7, 7, 127},
            {1, 513, 513}, {2, 300, 300}, {4, 257, 513},   // a few rows of much work: serving's matrix-vector products
    };

    /** A smaller set for the transpose and leading-dimension variants. */
    int[][] VARIANT_TRIPLES = {
            {1, 1, 1}, {3, 7, 17}, {17, 1, 33}, {1, 65, 7}, {65, 33, 127},
            {64, 64, 64}, {513, 7, 17}, {17, 513, 64}, {33, 65, 513}, {127, 127, 3},
    };

    static Stream<Arguments> matmulCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int[] t : TRIPLES) {
                out.add(Arguments.of(dt, t[0], t[1], t[2]));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> transposeCases() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    out.add(Arguments.of(dt, ta, tb));
                }
            }
        }
        return out.stream();
    }

    // ------------------------------------------------------------------ reference

    /** Row-major {@code rows x cols} to a Commons Math matrix. */
    static RealMatrix matrix(double[] data, int rows, int cols) {
        double[][] d = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, i * cols, d[i], 0, cols);
        }
        return new BlockRealMatrix(d);
    }

    static double[] flat(RealMatrix m) {
        int rows = m.getRowDimension();
        int cols = m.getColumnDimension();
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = m.getEntry(i, j);
            }
        }
        return out;
    }

    /** {@code alpha * A B + beta * C} in float64 (A m x k, B k x n, row-major logical operands). */
    static double[] reference(double alpha, double[] a, double[] b, double beta, double[] c, int m, int n, int k) {
        double[] ab = flat(matrix(a, m, k).multiply(matrix(b, k, n)));
        double[] out = new double[m * n];
        for (int i = 0; i < out.length; i++) {
            out[i] = alpha * ab[i] + (beta == 0 ? 0 : beta * c[i]);
        }
        return out;
    }

    /**
     * Accumulation error grows like sqrt(k) times the size of the products: tolerance is
     * {@code rtol * (sqrt(k) * |alpha| max|A| max|B| + |expected| + |beta| max|C|)}.
     */
    static void assertGemm(String what, DType dt, double[] expected, double[] actual, int k, double alpha,
                           double[] a, double[] b, double beta, double[] c) {
        double scale = Math.sqrt(k) * Math.abs(alpha) * Host.maxAbs(a) * Host.maxAbs(b)
                + (beta == 0 || c == null ? 0 : Math.abs(beta) * Host.maxAbs(c));
        double rtol = dt == DType.F32 ? 2e-5 : 1e-10;
        Host.assertClose(what, expected, actual, i -> rtol * (scale + Math.abs(expected[i])) + Double.MIN_NORMAL);
    }

    /** Stores a logical row-major {@code rows x cols} matrix transposed ({@code cols x rows}). */
    static double[] transposed(double[] data, int rows, int cols) {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = data[i * cols + j];
            }
        }
        return t;
    }

    // ------------------------------------------------------------------ tensor API

    @ParameterizedTest(name = "{0} m={1} n={2} k={3}")
    @MethodSource("dev.ember.core.conformance.GemmConformance#matmulCases")
    default void matmulMatchesFloat64Reference(DType dt, int m, int n, int k) {
        Backend be = backend();
        double[] a = Host.uniform(dt, 1000L * m + 7 * n + k, m * k, -1, 1);
        double[] b = Host.uniform(dt, 31L * m + 1001L * n + k, k * n, -1, 1);
        try (Scope _ = Scope.open()) {
            Tensor ta = Host.tensor(be, dt, a, m, k);
            Tensor tb = Host.tensor(be, dt, b, k, n);
            Tensor c = ta.matmul(tb);
            assertThat(c.shape().dims()).containsExactly(m, n);
            assertThat(c.dtype()).isEqualTo(dt);
            assertGemm("matmul " + dt + " [" + m + "," + k + "]x[" + k + "," + n + "]", dt,
                    reference(1, a, b, 0, null, m, n, k), values(c), k, 1, a, b, 0, null);
            // the operands are inputs only
            Host.assertExact("matmul left operand unchanged", a, values(ta));
            Host.assertExact("matmul right operand unchanged", b, values(tb));
        }
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("dev.ember.core.conformance.GemmConformance#transposeCases")
    default void matmulOfTransposedViews(DType dt, boolean transA, boolean transB) {
        Backend be = backend();
        for (int[] t : VARIANT_TRIPLES) {
            int m = t[0], n = t[1], k = t[2];
            double[] a = Host.uniform(dt, 11L * m + k, m * k, -1, 1);
            double[] b = Host.uniform(dt, 13L * n + k, k * n, -1, 1);
            try (Scope _ = Scope.open()) {
                Tensor ta = transA ? Host.tensor(be, dt, transposed(a, m, k), k, m).transpose()
                        : Host.tensor(be, dt, a, m, k);
                Tensor tb = transB ? Host.tensor(be, dt, transposed(b, k, n), n, k).transpose()
                        : Host.tensor(be, dt, b, k, n);
                assertThat(ta.shape().dims()).containsExactly(m, k);
                assertThat(tb.shape().dims()).containsExactly(k, n);
                assertGemm("matmul " + dt + " transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n
                                + " k=" + k, dt, reference(1, a, b, 0, null, m, n, k), values(ta.matmul(tb)), k,
                        1, a, b, 0, null);
            }
        }
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("dev.ember.core.conformance.GemmConformance#transposeCases")
    default void matmulOfSlicedViewsAtAnOffset(DType dt, boolean transA, boolean transB) {
        Backend be = backend();
        int[][] triples = {{3, 7, 17}, {65, 33, 127}, {17, 513, 7}};
        for (int[] t : triples) {
            int m = t[0], n = t[1], k = t[2];
            double[] a = Host.uniform(dt, 17L * m + k, m * k, -1, 1);
            double[] b = Host.uniform(dt, 19L * n + k, k * n, -1, 1);
            try (Scope _ = Scope.open()) {
                // the stored matrix has 2 extra leading rows of NaN and 3 trailing ones: a slice starts at an offset
                Tensor ta = slicedWithNaNRows(be, dt, transA ? transposed(a, m, k) : a,
                        transA ? k : m, transA ? m : k);
                Tensor tb = slicedWithNaNRows(be, dt, transB ? transposed(b, k, n) : b,
                        transB ? n : k, transB ? k : n);
                Tensor va = transA ? ta.transpose() : ta;
                Tensor vb = transB ? tb.transpose() : tb;
                assertGemm("matmul of slices " + dt + " transA=" + transA + " transB=" + transB + " m=" + m
                                + " n=" + n + " k=" + k, dt, reference(1, a, b, 0, null, m, n, k),
                        values(va.matmul(vb)), k, 1, a, b, 0, null);
            }
        }
    }

    private static Tensor slicedWithNaNRows(Backend be, DType dt, double[] data, int rows, int cols) {
        double[] all = Host.filled((rows + 5) * cols, Double.NaN);
        System.arraycopy(data, 0, all, 2 * cols, data.length);
        return Host.tensor(be, dt, all, rows + 5, cols).slice(2, 2 + rows);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void gemmIntoScalesByAlphaAndAccumulatesBeta(DType dt) {
        Backend be = backend();
        double[][] ab = {{1.5, -0.5}, {-1, 1}, {0.25, 2}, {2, 0}};
        int[][] triples = {{7, 17, 3}, {65, 64, 33}, {17, 127, 513}};
        for (int[] t : triples) {
            int m = t[0], n = t[1], k = t[2];
            for (double[] alphaBeta : ab) {
                double alpha = alphaBeta[0], beta = alphaBeta[1];
                double[] a = Host.uniform(dt, 23L * m + k, m * k, -1, 1);
                double[] b = Host.uniform(dt, 29L * n + k, k * n, -1, 1);
                double[] c0 = Host.uniform(dt, 37L * n + m, m * n, -2, 2);
                try (Scope _ = Scope.open()) {
                    Tensor c = Host.tensor(be, dt, c0, m, n);
                    LinearAlgebra.gemmInto(alpha, Host.tensor(be, dt, a, m, k), Host.tensor(be, dt, b, k, n), beta, c);
                    assertGemm("gemmInto " + dt + " alpha=" + alpha + " beta=" + beta + " m=" + m + " n=" + n
                                    + " k=" + k, dt, reference(alpha, a, b, beta, c0, m, n, k), values(c), k,
                            alpha, a, b, beta, c0);
                }
            }
        }
    }

    // ------------------------------------------------------------------ direct SPI

    /**
     * {@link Backend#gemm} with {@code lda > cols}, {@code ldb}, {@code ldc} padded, every operand at a
     * non-zero offset, the padding of A and B holding NaN (a kernel reading outside op(A) or op(B)
     * produces NaN) and the padding of C holding a sentinel that must survive.
     */
    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("dev.ember.core.conformance.GemmConformance#transposeCases")
    default void gemmWithLeadingDimensionsOffsetsAlphaBeta(DType dt, boolean transA, boolean transB) {
        Backend be = backend();
        double[][] ab = {{1, 0}, {-0.75, 0.5}, {2, 1}};
        for (int[] t : VARIANT_TRIPLES) {
            int m = t[0], n = t[1], k = t[2];
            for (double[] alphaBeta : ab) {
                runDirectGemm(be, dt, transA, transB, m, n, k, alphaBeta[0], alphaBeta[1], false);
            }
        }
    }

    /** With {@code beta == 0}, C's old contents are ignored: NaN in C must not reach the result. */
    @ParameterizedTest(name = "{0} transA={1} transB={2}")
    @MethodSource("dev.ember.core.conformance.GemmConformance#transposeCases")
    default void gemmWithBetaZeroIgnoresNaNInC(DType dt, boolean transA, boolean transB) {
        Backend be = backend();
        int[][] triples = {{1, 1, 1}, {7, 3, 17}, {65, 33, 64}, {17, 513, 7}};
        for (int[] t : triples) {
            runDirectGemm(be, dt, transA, transB, t[0], t[1], t[2], 1.25, 0, true);
        }
    }

    private static void runDirectGemm(Backend be, DType dt, boolean transA, boolean transB, int m, int n, int k,
                                      double alpha, double beta, boolean nanC) {
        double[] a = Host.uniform(dt, 41L * m + 3 * k + (transA ? 1 : 0), m * k, -1, 1);
        double[] b = Host.uniform(dt, 43L * n + 5 * k + (transB ? 1 : 0), k * n, -1, 1);
        double[] c0 = nanC ? Host.filled(m * n, Double.NaN) : Host.uniform(dt, 47L * m + n, m * n, -1, 1);
        // stored layouts: A is m x k (or k x m when transposed) with lda = cols + 3, etc.
        int aRows = transA ? k : m, aCols = transA ? m : k, lda = aCols + 3;
        int bRows = transB ? n : k, bCols = transB ? k : n, ldb = bCols + 5;
        int ldc = n + 2;
        double[] aStored = Host.filled(aRows * lda, Double.NaN);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                aStored[transA ? p * lda + i : i * lda + p] = a[i * k + p];
            }
        }
        double[] bStored = Host.filled(bRows * ldb, Double.NaN);
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bStored[transB ? j * ldb + p : p * ldb + j] = b[p * n + j];
            }
        }
        double sentinel = 12345.5;
        double[] cStored = Host.filled(m * ldc, sentinel);
        for (int i = 0; i < m; i++) {
            System.arraycopy(c0, i * n, cStored, i * ldc, n);
        }
        int offA = 7, offB = 11, offC = 13;
        String what = "gemm " + dt + " transA=" + transA + " transB=" + transB + " m=" + m + " n=" + n + " k=" + k
                + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc + " alpha=" + alpha + " beta=" + beta
                + (nanC ? " (C holds NaN)" : "");
        try (Scope _ = Scope.open()) {
            Tensor ta = padded(be, dt, aStored, offA, 4, Double.NaN);
            Tensor tb = padded(be, dt, bStored, offB, 6, Double.NaN);
            Tensor tc = padded(be, dt, cStored, offC, 9, sentinel);
            be.gemm(transA, transB, m, n, k, alpha, at(ta, offA), lda, at(tb, offB), ldb, beta, at(tc, offC), ldc);
            be.synchronize();
            double[] all = read(be, tc.span(), tc.size());
            double[] got = new double[m * n];
            for (int i = 0; i < all.length; i++) {
                int rel = i - offC;
                boolean inside = rel >= 0 && rel < m * ldc && rel % ldc < n;
                if (inside) {
                    got[(rel / ldc) * n + rel % ldc] = all[i];
                } else if (all[i] != sentinel) {
                    throw new AssertionError(what + ": wrote outside C: element " + i + " of the buffer is "
                            + all[i] + ", expected the untouched sentinel " + sentinel);
                }
            }
            double[] expected = reference(alpha, a, b, beta, nanC ? new double[m * n] : c0, m, n, k);
            assertGemm(what, dt, expected, got, k, alpha, a, b, beta, nanC ? null : c0);
            // A and B are read-only
            Host.assertExact(what + ": A unchanged", Host.round(dt, aStored),
                    java.util.Arrays.copyOfRange(read(be, ta.span(), ta.size()), offA, offA + aStored.length));
            Host.assertExact(what + ": B unchanged", Host.round(dt, bStored),
                    java.util.Arrays.copyOfRange(read(be, tb.span(), tb.size()), offB, offB + bStored.length));
        }
    }

    @Test
    default void matmulOfIdentityIsExact() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            int n = 65;
            double[] eye = new double[n * n];
            for (int i = 0; i < n; i++) {
                eye[i * n + i] = 1;
            }
            double[] x = Host.uniform(dt, 5, n * 33, -3, 3);
            try (Scope _ = Scope.open()) {
                Tensor r = Host.tensor(be, dt, eye, n, n).matmul(Host.tensor(be, dt, x, n, 33));
                Host.assertExact("I x X " + dt, x, values(r));
            }
        }
    }
}
