package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Span;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static dev.ember.opencl.OpenClTestSupport.backend;
import static dev.ember.opencl.OpenClTestSupport.download;
import static dev.ember.opencl.OpenClTestSupport.free;
import static dev.ember.opencl.OpenClTestSupport.randoms;
import static dev.ember.opencl.OpenClTestSupport.rounded;
import static dev.ember.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/** The tiled GEMM against a double reference over edge shapes, transposes, strides, offsets and alpha/beta. */
class OpenClGemmTest {
    static Stream<Arguments> shapes() {
        int[][] mnk = {{1, 1, 1}, {1, 3, 7}, {3, 1, 7}, {7, 17, 1}, {17, 33, 65}, {65, 7, 33}, {33, 65, 127},
            {127, 129, 3}, {64, 64, 64}, {65, 63, 17}, {513, 33, 65}, {33, 513, 129}};
        List<Arguments> args = new ArrayList<>();
        for (int[] s : mnk) {
            for (int t = 0; t < 4; t++) {
                args.add(Arguments.of(DType.F32, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
            }
            args.add(Arguments.of(DType.F64, s[0], s[1], s[2], false, true));
            args.add(Arguments.of(DType.F64, s[0], s[1], s[2], true, false));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} m={1} n={2} k={3} transA={4} transB={5}")
    @MethodSource("shapes")
    void matchesReference(DType dtype, int m, int n, int k, boolean transA, boolean transB) {
        run(dtype, m, n, k, transA, transB, 1.25, 0.5, 3, 5);
    }

    @Test
    void squareShapes513() {
        run(DType.F32, 513, 513, 513, false, false, 1.0, 0.0, 0, 0);
        run(DType.F32, 513, 513, 513, true, true, -0.5, 2.0, 1, 2);
        run(DType.F64, 513, 513, 513, false, false, 1.0, 0.0, 0, 0);
    }

    static Stream<GemmKernel.Config> configs() {
        List<GemmKernel.Config> all = new ArrayList<>(GemmKernel.CANDIDATES);
        all.add(GemmKernel.CPU_FIRST);
        all.add(new GemmKernel.Config(16, 32, 4, 2, 8)); // non-square, TS_K below the work per thread
        return all.stream();
    }

    /** Every tile configuration a device might get is correct, not only the one this device picks. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyTileConfigurationIsCorrect(GemmKernel.Config config) {
        backend(); // skip without OpenCL
        String forced = config.tsM() + "," + config.tsN() + "," + config.tsK() + "," + config.wptM() + ","
                + config.wptN();
        System.setProperty(GemmKernel.PROPERTY, forced);
        OpenClBackend b;
        try {
            b = (OpenClBackend) new OpenClProvider().create();
            assertThat(b.gemmConfig(DType.F32)).isEqualTo(config.toString());
        } finally {
            System.clearProperty(GemmKernel.PROPERTY);
        }
        try {
            int[][] mnk = {{1, 1, 1}, {7, 3, 17}, {65, 33, 127}, {129, 65, 3}};
            for (int[] s : mnk) {
                for (int t = 0; t < 4; t++) {
                    run(b, DType.F32, s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, 0.75, 0.5, 2, 1);
                }
                run(b, DType.F64, s[0], s[1], s[2], true, false, 1, 0, 0, 0);
            }
        } finally {
            b.close();
        }
    }

    @Test
    void betaZeroIgnoresNaNInC() {
        Backend b = backend();
        Span a = upload(b, DType.F32, new double[] {1, 2, 3, 4});
        Span bm = upload(b, DType.F32, new double[] {5, 6, 7, 8});
        Span c = upload(b, DType.F32, new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN});
        b.gemm(false, false, 2, 2, 2, 1, a, 2, bm, 2, 0, c, 2);
        assertThat(download(b, c, 4)).containsExactly(19, 22, 43, 50);
        free(b, a, bm, c);
    }

    @Test
    void kZeroScalesC() {
        Backend b = backend();
        Span a = upload(b, DType.F64, new double[] {1});
        Span c = upload(b, DType.F64, new double[] {1, 2, 3, 4});
        b.gemm(false, false, 2, 2, 0, 1, a, 1, a, 1, 3, c, 2);
        assertThat(download(b, c, 4)).containsExactly(3, 6, 9, 12);
        free(b, a, c);
    }

    /** Leading dimensions exceed the used width by {@code pad}; operands start {@code offset} elements in. */
    private static void run(DType dtype, int m, int n, int k, boolean transA, boolean transB, double alpha,
                            double beta, int pad, int offset) {
        run(backend(), dtype, m, n, k, transA, transB, alpha, beta, pad, offset);
    }

    private static void run(Backend b, DType dtype, int m, int n, int k, boolean transA, boolean transB,
                            double alpha, double beta, int pad, int offset) {
        Random rnd = new Random(31L * m + 17L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        int lda = aCols + pad;
        int ldb = bCols + pad;
        int ldc = n + pad;
        double[] ha = rounded(dtype, randoms(rnd, offset + aRows * lda, 1));
        double[] hb = rounded(dtype, randoms(rnd, offset + bRows * ldb, 1));
        double[] hc = rounded(dtype, randoms(rnd, offset + m * ldc, 1));
        Span a = upload(b, dtype, ha);
        Span bb = upload(b, dtype, hb);
        Span c = upload(b, dtype, hc);
        b.gemm(transA, transB, m, n, k, alpha, new Span(a.buffer(), offset), lda, new Span(bb.buffer(), offset), ldb,
                beta, new Span(c.buffer(), offset), ldc);
        double[] got = download(b, c, hc.length);
        double u = dtype == DType.F32 ? 0x1p-24 : 0x1p-53; // unit round-off
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                double bound = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? ha[offset + p * lda + i] : ha[offset + i * lda + p];
                    double y = transB ? hb[offset + j * ldb + p] : hb[offset + p * ldb + j];
                    sum += x * y;
                    bound += Math.abs(x * y);
                }
                int at = offset + i * ldc + j;
                double expected = alpha * sum + beta * hc[at];
                // the classic worst-case bound gamma_(k+2) * (|alpha| sum|a||b| + |beta c|)
                double tol = u * (k + 3) * (Math.abs(alpha) * bound + Math.abs(beta * hc[at])) + Double.MIN_NORMAL;
                if (!(Math.abs(got[at] - expected) <= tol)) {
                    fail("C(" + i + "," + j + ") = " + got[at] + ", expected " + expected);
                }
            }
        }
        // padding and the leading offset are untouched
        for (int at = 0; at < hc.length; at++) {
            int r = at - offset;
            boolean inside = r >= 0 && r / ldc < m && r % ldc < n;
            if (!inside && got[at] != hc[at]) {
                fail("element " + at + " outside C was overwritten");
            }
        }
        free(b, a, bb, c);
    }
}
