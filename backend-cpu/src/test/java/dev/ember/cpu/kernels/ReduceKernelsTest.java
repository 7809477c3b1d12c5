package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** reduce on the [outer, length, inner] view against double references, including NaN and ties. */
class ReduceKernelsTest extends KernelTestSupport {
    private static final int[][] SHAPES = { // {outer, length, inner}
            {1, 1, 1}, {1, 3, 1}, {1, 7, 1}, {2, 17, 1}, {3, 33, 1}, {1, 65, 1}, {5, 127, 1}, {2, 513, 1},
            {1, 1, 7}, {2, 3, 17}, {3, 33, 65}, {2, 7, 127}, {1, 17, 513}, {4, 1000, 7}, {1, 5, 3000},
            {1, 600, 2500}, {3, 2, 1}, {1, 300_001, 1}, {2, 270_000, 1}, {700, 1000, 1}, {1, 100_000, 3},
            {1, 513, 2}};

    @Test
    void reductionsMatchDoubleReference() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int[] s : SHAPES) {
                int n = s[0] * s[1] * s[2];
                Random rnd = new Random(n);
                double[] x = rounded(dt, gaussian(rnd, n));
                // integers give ties, so ARGMAX must pick the first maximum
                double[] ties = rounded(dt, random(rnd, n, -3, 3));
                for (int i = 0; i < n; i++) {
                    ties[i] = Math.floor(ties[i]);
                }
                for (ReduceOp op : ReduceOp.values()) {
                    check(be, dt, op, s, x, "gaussian");
                    check(be, dt, op, s, ties, "ties");
                }
            }
        }));
    }

    @Test
    void nanPropagatesAndArgmaxFindsTheFirstNaN() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int[] s : SHAPES) {
                int n = s[0] * s[1] * s[2];
                if (s[1] < 3) {
                    continue;
                }
                double[] x = rounded(dt, gaussian(new Random(n), n));
                // a NaN in the middle of every reduced run, and a second one later
                for (int o = 0; o < s[0]; o++) {
                    for (int i = 0; i < s[2]; i++) {
                        x[(o * s[1] + s[1] / 2) * s[2] + i] = Double.NaN;
                        x[(o * s[1] + s[1] - 1) * s[2] + i] = Double.NaN;
                    }
                }
                for (ReduceOp op : ReduceOp.values()) {
                    check(be, dt, op, s, x, "nan");
                }
            }
        }));
    }

    @Test
    void f32SumStaysAccurateOverLongRuns() {
        int n = 4_000_000;
        double[] x = new double[n];
        java.util.Arrays.fill(x, 0.1f);
        for (CpuBackend be : new CpuBackend[] {SERIAL, THREADED}) {
            Span out = zeros(be, DType.F32, 1);
            be.reduce(ReduceOp.SUM, upload(be, DType.F32, x), 1, n, 1, out);
            double exact = n * (double) 0.1f;
            assertThat(download(be, out, 1)[0]).isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 1e-6));
            Span cols = zeros(be, DType.F32, 4);
            be.reduce(ReduceOp.MEAN, upload(be, DType.F32, x), 1, n / 4, 4, cols);
            for (double v : download(be, cols, 4)) {
                assertThat(v).isCloseTo(0.1f, org.assertj.core.data.Offset.offset(1e-7));
            }
        }
    }

    private static void check(CpuBackend be, DType dt, ReduceOp op, int[] s, double[] x, String data) {
        int outer = s[0];
        int length = s[1];
        int inner = s[2];
        double[] expected = new double[outer * inner];
        double[] scale = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double sum = 0;
                double sumAbs = 0;
                double squares = 0;
                double max = Double.NEGATIVE_INFINITY;
                double min = Double.POSITIVE_INFINITY;
                int arg = -1;
                for (int j = 0; j < length; j++) {
                    double v = x[(o * length + j) * inner + i];
                    sum += v;
                    sumAbs += Math.abs(v);
                    squares += v * v;
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                    boolean nanFirst = Double.isNaN(v) && (arg < 0 || !Double.isNaN(x[(o * length + arg) * inner + i]));
                    if (arg < 0 || nanFirst || v > x[(o * length + arg) * inner + i]) {
                        arg = j;
                    }
                }
                int k = o * inner + i;
                scale[k] = switch (op) {
                    case MEAN -> sumAbs / length;
                    case SUM_OF_SQUARES -> squares;
                    default -> sumAbs;
                };
                expected[k] = switch (op) {
                    case SUM -> sum;
                    case MEAN -> sum / length;
                    case SUM_OF_SQUARES -> squares;
                    case MAX -> max;
                    case MIN -> min;
                    case ARGMAX -> arg;
                };
            }
        }
        Span out = zeros(be, dt, outer * inner);
        be.reduce(op, upload(be, dt, x), outer, length, inner, out);
        double[] got = download(be, out, outer * inner);
        String what = op + " " + dt + " " + java.util.Arrays.toString(s) + " " + data;
        switch (op) {
            case MAX, MIN, ARGMAX -> assertExact(what, dt, expected, got);
            default -> {
                // sums: error relative to the sum of magnitudes
                double rel = dt == DType.F32 ? 1e-6 : 1e-13;
                for (int k = 0; k < got.length; k++) {
                    if (Double.isNaN(expected[k])) {
                        assertThat(got[k]).as(what).isNaN();
                    } else {
                        assertThat(Math.abs(got[k] - expected[k])).as(what + " [" + k + "]")
                                .isLessThanOrEqualTo(rel * scale[k] + 1e-300);
                    }
                }
            }
        }
    }
}
