package dev.ember.cpu.gemm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.ember.cpu.kernels.Parallel;

/**
 * Compares {@link Gemm} with a double-precision triple loop over edge-heavy shapes, all four
 * transpose combinations, padded leading dimensions, non-zero offsets, beta = 0 over a NaN-filled
 * C, and 1 and 2 threads. Elements outside the logical matrices are NaN (A, B) or a sentinel (C)
 * and must be neither read into the result nor written.
 */
class GemmTest {
    private static final Gemm[] GEMMS = {new Gemm(new Parallel(1)), new Gemm(new Parallel(2))};
    private static final float SENTINEL = 12345f;
    private static final int A_OFF = 3, B_OFF = 5, C_OFF = 7;

    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 3}, {3, 1, 7}, {7, 3, 1}, {3, 3, 3}, {7, 7, 7}, {17, 3, 7}, {3, 17, 33},
        {17, 17, 17}, {33, 7, 17}, {7, 33, 65}, {33, 33, 33}, {64, 64, 64}, {65, 64, 64}, {64, 65, 64},
        {64, 64, 65}, {65, 65, 65}, {127, 17, 64}, {17, 127, 65}, {64, 127, 127}, {127, 127, 127},
        {127, 65, 33}, {1, 513, 65}, {513, 1, 65}, {65, 64, 513}, {1, 1, 513}, {513, 17, 7},
        {17, 513, 33}, {33, 65, 513}, {513, 64, 64}, {64, 513, 127}, {127, 513, 65}, {513, 127, 33},
        {128, 256, 100}, {100, 130, 300}, {513, 33, 513}, {200, 200, 200}, {1100, 40, 20},
        {5, 8250, 9}, {3, 3, 4000},
        // the unpacked path (GemmDriver.SMALL_WORK, SMALL_ROWS_WORK) and either side of its limits:
        // a small network's products, 1024 and just above, vector rows with masked tails
        {64, 5, 2}, {64, 2, 5}, {64, 1, 2}, {64, 2, 1}, {2, 1, 64}, {5, 2, 64}, {2, 5, 64}, {8, 8, 8},
        {16, 8, 8}, {16, 8, 9}, {4, 4, 64}, {5, 16, 3}, {9, 17, 20}, {64, 16, 16}, {64, 64, 32},
        {64, 64, 33}, {40, 100, 10},
        // C at most one vector wide (GemmDriver's narrow path): a 10-wide output layer, its row
        // blocks (16, 4, 1) and masked tails, split between threads when m is tall
        {128, 10, 128}, {131, 10, 300}, {37, 16, 200}, {200, 7, 33}, {2000, 5, 64}, {21, 1, 900},
    };

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (double beta : new double[] {0, 0.5}) {
                    for (int threads = 1; threads <= 2; threads++) {
                        cases.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, beta, threads));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "f32 m={0} n={1} k={2} tA={3} tB={4} beta={5} threads={6}")
    @MethodSource("cases")
    void sgemmMatchesReference(int m, int n, int k, boolean transA, boolean transB, double beta, int threads) {
        Problem p = new Problem(m, n, k, transA, transB, beta, m * 31 + n * 7 + k);
        float[] a = toFloat(p.a), b = toFloat(p.b), c = toFloat(p.c);
        GEMMS[threads - 1].sgemm(transA, transB, m, n, k, (float) p.alpha, a, A_OFF, p.lda, b, B_OFF, p.ldb,
                (float) beta, c, C_OFF, p.ldc);
        p.check(toDouble(c), 1e-4 * Math.sqrt(k));
    }

    @ParameterizedTest(name = "f64 m={0} n={1} k={2} tA={3} tB={4} beta={5} threads={6}")
    @MethodSource("cases")
    void dgemmMatchesReference(int m, int n, int k, boolean transA, boolean transB, double beta, int threads) {
        Problem p = new Problem(m, n, k, transA, transB, beta, m * 31 + n * 7 + k);
        double[] c = p.c.clone();
        GEMMS[threads - 1].dgemm(transA, transB, m, n, k, p.alpha, p.a, A_OFF, p.lda, p.b, B_OFF, p.ldb,
                beta, c, C_OFF, p.ldc);
        p.check(c, 1e-12);
    }

    /** The unpacked path on its own, whatever the thresholds send there, on every case up to a size. */
    @ParameterizedTest(name = "small m={0} n={1} k={2} tA={3} tB={4} beta={5}")
    @MethodSource("cases")
    void smallPathMatchesReference(int m, int n, int k, boolean transA, boolean transB, double beta, int threads) {
        if (threads != 1 || (long) m * n * k > 300_000) {
            return;
        }
        Problem p = new Problem(m, n, k, transA, transB, beta, m * 31 + n * 7 + k);
        float[] a = toFloat(p.a), b = toFloat(p.b), c = toFloat(p.c);
        FloatPrecision.INSTANCE.small(transA, transB, m, n, k, p.alpha, a, A_OFF, p.lda, b, B_OFF, p.ldb, beta,
                c, C_OFF, p.ldc);
        p.check(toDouble(c), 1e-4 * Math.sqrt(k));
        double[] d = p.c.clone();
        DoublePrecision.INSTANCE.small(transA, transB, m, n, k, p.alpha, p.a, A_OFF, p.lda, p.b, B_OFF, p.ldb, beta,
                d, C_OFF, p.ldc);
        p.check(d, 1e-12);
    }

    @Test
    void smallPathWithBetaOneAndNegativeAlpha() {
        for (int[] s : new int[][] {{64, 5, 2}, {5, 2, 64}, {3, 20, 4}, {20, 3, 17}, {7, 7, 7}}) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                double[] a = new double[m * k], b = new double[k * n], c = new double[m * n];
                Random random = new Random(t);
                for (int i = 0; i < a.length; i++) {
                    a[i] = random.nextInt(7) - 3;
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = random.nextInt(7) - 3;
                }
                for (int i = 0; i < c.length; i++) {
                    c[i] = random.nextInt(7) - 3;
                }
                double[] want = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        }
                        want[i * n + j] = -2 * sum + c[i * n + j];
                    }
                }
                GEMMS[0].dgemm(ta, tb, m, n, k, -2, a, 0, ta ? m : k, b, 0, tb ? k : n, 1, c, 0, n);
                assertThat(c).as("%dx%dx%d %s%s", m, n, k, ta ? "T" : "N", tb ? "T" : "N").containsExactly(want);
            }
        }
    }

    @Test
    void zeroAlphaOrDepthOnlyScalesC() {
        for (Gemm gemm : GEMMS) {
            float[] a = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
            float[] c = {1, 2, 3, 4};
            gemm.sgemm(false, false, 2, 2, 2, 0f, a, 0, 2, a, 0, 2, 2f, c, 0, 2);
            assertThat(c).containsExactly(2, 4, 6, 8);
            double[] d = {Double.NaN, 2, 3, 4};
            gemm.dgemm(true, true, 2, 2, 0, 1.0, new double[0], 0, 2, new double[0], 0, 2, 0.0, d, 0, 2);
            assertThat(d).containsExactly(0, 0, 0, 0);
        }
    }

    @Test
    void runsInlineWhenCalledFromAPartOfItsOwnParallel() {
        Problem p = new Problem(200, 200, 200, false, true, 0.5, 42);
        double[][] c = {p.c.clone(), p.c.clone()};
        try (Parallel parallel = new Parallel(2)) {
            Gemm gemm = new Gemm(parallel);
            parallel.forEachPart(2, part -> gemm.dgemm(false, true, 200, 200, 200, p.alpha, p.a, A_OFF, p.lda,
                    p.b, B_OFF, p.ldb, 0.5, c[part], C_OFF, p.ldc));
        }
        p.check(c[0], 1e-12);
        p.check(c[1], 1e-12);
    }

    @Test
    void concurrentCallersOnOneGemmGetTheirOwnResults() throws Exception {
        Problem p = new Problem(300, 200, 256, true, false, 0, 7);  // big enough for two parts
        float[] a = toFloat(p.a), b = toFloat(p.b);
        Throwable[] failure = new Throwable[1];
        Thread[] callers = new Thread[3];
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                try {
                    for (int call = 0; call < 10; call++) {
                        float[] c = toFloat(p.c);
                        GEMMS[1].sgemm(true, false, 300, 200, 256, (float) p.alpha, a, A_OFF, p.lda, b, B_OFF,
                                p.ldb, 0f, c, C_OFF, p.ldc);
                        p.check(toDouble(c), 1e-4 * Math.sqrt(256));
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            callers[t].start();
        }
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(failure[0]).isNull();
    }

    @Test
    void partitionCoversCInWholeTiles() {
        for (int[] s : new int[][] {{128, 256, 784}, {784, 256, 128}, {2048, 2048, 2048}, {5, 8250, 9}, {67, 67, 67}}) {
            for (int threads : new int[] {2, 3, 4, 8}) {
                GemmPartition g = GemmPartition.of(s[0], s[1], s[2], threads, 4, 16);
                assertThat(g.parts()).isBetween(1, threads);
                long covered = 0;
                for (int part = 0; part < g.parts(); part++) {
                    assertThat(g.rowStart(part) % 4).isZero();
                    assertThat(g.colStart(part) % 16).isZero();
                    covered += (long) (g.rowEnd(part) - g.rowStart(part)) * (g.colEnd(part) - g.colStart(part));
                }
                assertThat(covered).isEqualTo((long) s[0] * s[1]);
            }
        }
    }

    @Test
    void parsesSysfsCacheDescriptions() {
        assertThat(CacheSizes.parseSize("32K")).isEqualTo(32 << 10);
        assertThat(CacheSizes.parseSize("32M")).isEqualTo(32 << 20);
        assertThat(CacheSizes.parseSize("4096")).isEqualTo(4096);
        assertThat(CacheSizes.cpuCount("0-3,8,10-11")).isEqualTo(7);
        String amd = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncache size\t: 1024 KB\n\nprocessor\t: 1\n";
        assertThat(CacheSizes.l2FromCpuinfo(amd)).isEqualTo(1 << 20);
        String intel = "processor\t: 0\nvendor_id\t: GenuineIntel\ncache size\t: 36608 KB\n";
        assertThat(CacheSizes.l2FromCpuinfo(intel)).isEqualTo(-1);
        assertThat(CacheSizes.l2FromCpuinfo("processor\t: 0\n")).isEqualTo(-1);
    }

    /** One random problem in double, its storage padded and offset, with a reference result. */
    private static final class Problem {
        final int m, n, k, lda, ldb, ldc;
        final boolean transA, transB;
        final double alpha = 1.5, beta;
        final double[] a, b, c;

        Problem(int m, int n, int k, boolean transA, boolean transB, double beta, long seed) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transA = transA;
            this.transB = transB;
            this.beta = beta;
            Random random = new Random(seed);
            lda = (transA ? m : k) + 2;
            ldb = (transB ? k : n) + 3;
            ldc = n + 1;
            a = matrix(random, transA ? k : m, transA ? m : k, lda, A_OFF, Double.NaN);
            b = matrix(random, transB ? n : k, transB ? k : n, ldb, B_OFF, Double.NaN);
            c = matrix(random, m, n, ldc, C_OFF, SENTINEL);
            if (beta == 0) {
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(c, C_OFF + i * ldc, C_OFF + i * ldc + n, Double.NaN);
                }
            }
        }

        /** A rows x cols matrix at offset off with leading dimension ld; everything else is fill. */
        private static double[] matrix(Random random, int rows, int cols, int ld, int off, double fill) {
            double[] x = new double[off + rows * ld + 4];
            java.util.Arrays.fill(x, fill);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    x[off + i * ld + j] = (float) (random.nextDouble() * 2 - 1);
                }
            }
            return x;
        }

        double opA(int i, int p) {
            return transA ? a[A_OFF + p * lda + i] : a[A_OFF + i * lda + p];
        }

        double opB(int p, int j) {
            return transB ? b[B_OFF + j * ldb + p] : b[B_OFF + p * ldb + j];
        }

        void check(double[] got, double relTol) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0, magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double t = opA(i, p) * opB(p, j);
                        sum += t;
                        magnitude += Math.abs(t);
                    }
                    int ci = C_OFF + i * ldc + j;
                    double old = beta == 0 ? 0 : beta * c[ci];
                    double want = alpha * sum + old;
                    double tol = relTol * (Math.abs(alpha) * magnitude + Math.abs(old)) + 1e-30;
                    if (!(Math.abs(got[ci] - want) <= tol)) {
                        throw new AssertionError("C[" + i + "," + j + "] = " + got[ci] + ", want " + want
                                + " (tolerance " + tol + ")");
                    }
                }
            }
            for (int idx = 0; idx < got.length; idx++) {
                int rel = idx - C_OFF;
                boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
                if (!inside && got[idx] != SENTINEL) {
                    throw new AssertionError("wrote outside C at index " + idx + ": " + got[idx]);
                }
            }
        }
    }

    private static float[] toFloat(double[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) x[i];
        }
        return y;
    }

    private static double[] toDouble(float[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i];
        }
        return y;
    }
}
