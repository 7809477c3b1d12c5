package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Philox;
import dev.ember.core.spi.Span;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Random fills match the core's Philox reference bit for bit and are prefix-stable. */
class RandomKernelsTest extends KernelTestSupport {
    private static final long[][] KEYS = { // {seed, stream}: high words exercised too
            {0, 0}, {42, 7}, {0x1234_5678_9ABC_DEF0L, 0xFEDC_BA98_7654_3210L}, {-1, -1}};

    private static int[] sizes() {
        int[] s = java.util.Arrays.copyOf(SIZES, SIZES.length + 2);
        s[SIZES.length] = 4;
        s[SIZES.length + 1] = 100_003;
        return s;
    }

    private static double reference(Distribution dist, double a, double b, long seed, long stream, int i) {
        double u = Philox.uniform(Philox.word(seed, stream, i));
        return switch (dist) {
            case UNIFORM -> a + (b - a) * u;
            case NORMAL -> a + b * Philox.normal(seed, stream, i);
            case BERNOULLI -> u < a ? b : 0;
        };
    }

    @Test
    void fillsMatchPhiloxReference() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (long[] key : KEYS) {
                for (Distribution dist : Distribution.values()) {
                    double a = dist == Distribution.BERNOULLI ? 0.3 : dist == Distribution.NORMAL ? 1.5 : -2;
                    double b = dist == Distribution.BERNOULLI ? 1 / 0.3 : dist == Distribution.NORMAL ? 0.5 : 3;
                    for (int n : sizes()) {
                        Span out = zeros(be, dt, n);
                        be.random(dist, a, b, key[0], key[1], out, n);
                        double[] expected = new double[n];
                        for (int i = 0; i < n; i++) {
                            expected[i] = reference(dist, a, b, key[0], key[1], i);
                        }
                        assertExact(dist + " " + dt + " n=" + n + " seed=" + key[0], dt, expected,
                                download(be, out, n));
                        assertThat(download(be, out, n + 1)[n]).as("element after the fill").isZero();
                    }
                }
            }
        }));
    }

    @Test
    void standardUniformIsTheWordMapping() {
        CpuBackend be = THREADED;
        int n = 1 << 18;
        Span out = zeros(be, DType.F64, n);
        be.random(Distribution.UNIFORM, 0, 1, 99, 3, out, n);
        double[] u = download(be, out, n);
        for (int i = 0; i < n; i += 997) {
            assertThat(u[i]).isEqualTo(Philox.uniform(Philox.word(99, 3, i)));
        }
        double mean = 0;
        for (double v : u) {
            assertThat(v).isStrictlyBetween(0.0, 1.0);
            mean += v / n;
        }
        assertThat(mean).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void shorterFillsArePrefixesAndStreamsDiffer() {
        dtypes().forEach(dt -> {
            double[] longer = null;
            for (int n = 1; n <= 40; n++) {
                Span out = zeros(THREADED, dt, n);
                THREADED.random(Distribution.NORMAL, 0, 1, 5, 1, out, n);
                double[] v = download(THREADED, out, n);
                if (longer != null) {
                    assertThat(java.util.Arrays.copyOf(v, n - 1)).containsExactly(longer);
                }
                longer = v;
            }
            Span other = zeros(THREADED, dt, 40);
            THREADED.random(Distribution.NORMAL, 0, 1, 5, 2, other, 40);
            assertThat(download(THREADED, other, 40)).isNotEqualTo(longer);
        });
    }
}
