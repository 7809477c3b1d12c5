package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Philox;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Backend#random}: the Philox-4x32-10 reference against Random123's known-answer vectors, and
 * every backend's fill against the host reference built from {@link Philox} (bit for bit for uniform
 * numbers), plus determinism, stream independence, the prefix property and loose statistical sanity.
 */
public interface RandomConformance extends ConformanceBase {

    /** Seeds and streams whose high words are non-zero too, so a backend that drops them is caught. */
    long[][] SEED_STREAMS = {{0, 0}, {42, 7}, {0x0123456789ABCDEFL, 0xFEDCBA9876543210L}, {-1, -1}};
    int[] LENGTHS = {1, 2, 3, 4, 5, 7, 1031, 70_001};

    /**
     * Random123 kat_vectors, "philox4x32 10": counter (4 words), key (2 words), expected output (4 words).
     */
    static Stream<Arguments> knownAnswers() {
        return Stream.of(
                Arguments.of("zero counter and key", new int[] {0, 0, 0, 0}, new int[] {0, 0},
                        new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}),
                Arguments.of("all ones", new int[] {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                        new int[] {0xffffffff, 0xffffffff},
                        new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}),
                Arguments.of("digits of pi", new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                        new int[] {0xa4093822, 0x299f31d0},
                        new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.ember.core.conformance.RandomConformance#knownAnswers")
    default void philoxMatchesRandom123KnownAnswers(String name, int[] counter, int[] key, int[] expected) {
        int[] out = new int[4];
        int[] ctrCopy = counter.clone();
        int[] keyCopy = key.clone();
        Philox.block(counter, key, out);
        assertThat(hex(out)).as("Philox-4x32-10 %s", name).isEqualTo(hex(expected));
        assertThat(counter).as("block() leaves its counter alone").isEqualTo(ctrCopy);
        assertThat(key).as("block() leaves its key alone").isEqualTo(keyCopy);
    }

    private static String hex(int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int x : w) {
            sb.append(String.format("%08x ", x));
        }
        return sb.toString().trim();
    }

    static Stream<Arguments> dtypeAndDistribution() {
        List<Arguments> out = new ArrayList<>();
        for (Distribution d : Distribution.values()) {
            for (DType dt : DType.values()) {
                out.add(Arguments.of(d, dt));
            }
        }
        return out.stream();
    }

    // ------------------------------------------------------------------ host reference

    static double[] uniformReference(long seed, long stream, int n, double a, double b) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a + (b - a) * Philox.uniform(Philox.word(seed, stream, i));
        }
        return out;
    }

    static double[] normalReference(long seed, long stream, int n, double mean, double std) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = mean + std * Philox.normal(seed, stream, i);
        }
        return out;
    }

    /** Box–Muller radius of element {@code i}'s pair, which bounds the error a float evaluation may make. */
    static double radius(long seed, long stream, int i) {
        double u1 = Philox.uniform(Philox.word(seed, stream, i & ~1));
        return Math.sqrt(-2 * Math.log(u1));
    }

    static double[] fill(Backend be, DType dt, Distribution d, double a, double b, long seed, long stream, int n) {
        try (Scope _ = Scope.open()) {
            Tensor t = Tensor.random(be, dt, d, a, b, seed, stream, n);
            assertThat(t.shape().dims()).containsExactly(n);
            assertThat(t.dtype()).isEqualTo(dt);
            return values(t);
        }
    }

    // ------------------------------------------------------------------ exactness

    /** On [0, 1) the value is the reference uniform itself, rounded once to the dtype: bit for bit. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void uniformOnUnitIntervalIsBitExact(DType dt) {
        Backend be = backend();
        for (long[] ss : SEED_STREAMS) {
            for (int n : LENGTHS) {
                double[] expected = Host.round(dt, uniformReference(ss[0], ss[1], n, 0, 1));
                Host.assertExact("uniform[0,1) " + dt + " seed=" + ss[0] + " stream=" + ss[1] + " n=" + n, expected,
                        fill(be, dt, Distribution.UNIFORM, 0, 1, ss[0], ss[1], n));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void uniformOnAnIntervalIsScaledAndShifted(DType dt) {
        Backend be = backend();
        double a = -2.5, b = 3.5;
        for (long[] ss : SEED_STREAMS) {
            int n = 1031;
            double[] expected = uniformReference(ss[0], ss[1], n, a, b);
            double[] got = fill(be, dt, Distribution.UNIFORM, a, b, ss[0], ss[1], n);
            double tol = dt == DType.F32 ? 1e-6 : 1e-15;
            Host.assertClose("uniform[" + a + "," + b + ") " + dt + " seed=" + ss[0], expected, got,
                    i -> tol * (b - a));
            for (double v : got) {
                assertThat(v).isBetween(a, b);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void normalMatchesBoxMullerReference(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 1e-6 : 1e-12;
        for (double[] ms : new double[][] {{0, 1}, {2, 0.5}, {-1, 3}}) {
            for (long[] ss : SEED_STREAMS) {
                for (int n : LENGTHS) {
                    double[] expected = normalReference(ss[0], ss[1], n, ms[0], ms[1]);
                    double[] got = fill(be, dt, Distribution.NORMAL, ms[0], ms[1], ss[0], ss[1], n);
                    long seed = ss[0], stream = ss[1];
                    // a float evaluation of r*cos(t) errs by a few ulps of r, not of the (possibly tiny) result
                    Host.assertClose("normal(" + ms[0] + ", " + ms[1] + ") " + dt + " seed=" + seed + " stream="
                                    + stream + " n=" + n, expected, got,
                            i -> tol * (Math.abs(ms[0]) + ms[1] * (1 + radius(seed, stream, i))));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void bernoulliKeepsWhereTheUniformIsBelowTheKeepProbability(DType dt) {
        Backend be = backend();
        for (double p : new double[] {0.5, 0.8, 0.1}) {
            double scale = 1 / p;
            for (long[] ss : SEED_STREAMS) {
                int n = 1031;
                double[] got = fill(be, dt, Distribution.BERNOULLI, p, scale, ss[0], ss[1], n);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = Philox.uniform(Philox.word(ss[0], ss[1], i)) < p ? Host.round(dt, scale) : 0;
                }
                Host.assertExact("bernoulli(" + p + ") " + dt + " seed=" + ss[0] + " stream=" + ss[1]
                        + " (kept iff uniform(word(i)) < p)", expected, got);
            }
        }
    }

    // ------------------------------------------------------------------ streams

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.RandomConformance#dtypeAndDistribution")
    default void sameSeedAndStreamRepeatDifferentStreamsAndSeedsDiffer(Distribution d, DType dt) {
        Backend be = backend();
        double a = d == Distribution.BERNOULLI ? 0.5 : 0;
        double b = d == Distribution.BERNOULLI ? 2 : 1;
        int n = 4099;
        double[] first = fill(be, dt, d, a, b, 1234, 5, n);
        Host.assertExact(d + " " + dt + " repeat", first, fill(be, dt, d, a, b, 1234, 5, n));
        double[] otherStream = fill(be, dt, d, a, b, 1234, 6, n);
        double[] otherSeed = fill(be, dt, d, a, b, 1235, 5, n);
        double[] highStream = fill(be, dt, d, a, b, 1234, 5 + (1L << 32), n);
        double[] highSeed = fill(be, dt, d, a, b, 1234 + (1L << 32), 5, n);
        // Bernoulli(0.5) agrees by chance half the time; continuous values essentially never
        double maxSame = d == Distribution.BERNOULLI ? 0.6 : 0.001;
        assertThat(fractionEqual(first, otherStream)).as("%s %s: stream 5 vs 6", d, dt).isLessThan(maxSame);
        assertThat(fractionEqual(first, otherSeed)).as("%s %s: seed 1234 vs 1235", d, dt).isLessThan(maxSame);
        assertThat(fractionEqual(first, highStream)).as("%s %s: stream's high word is used", d, dt).isLessThan(maxSame);
        assertThat(fractionEqual(first, highSeed)).as("%s %s: seed's high word is used", d, dt).isLessThan(maxSame);
    }

    private static double fractionEqual(double[] x, double[] y) {
        int same = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] == y[i]) {
                same++;
            }
        }
        return (double) same / x.length;
    }

    /** Element i depends only on (seed, stream, i): a fill of length n is a prefix of one of length n + 1. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.RandomConformance#dtypeAndDistribution")
    default void shorterFillIsAPrefixOfLongerFill(Distribution d, DType dt) {
        Backend be = backend();
        double a = d == Distribution.BERNOULLI ? 0.7 : -1;
        double b = d == Distribution.BERNOULLI ? 1 / 0.7 : 2;
        for (int n : new int[] {1, 2, 3, 4, 5, 1000, 1001, 65_537}) {
            double[] shorter = fill(be, dt, d, a, b, 99, 3, n);
            double[] longer = fill(be, dt, d, a, b, 99, 3, n + 1);
            Host.assertExact(d + " " + dt + " length " + n + " vs " + (n + 1),
                    shorter, java.util.Arrays.copyOf(longer, n));
        }
    }

    /** A fill at a span offset is element i of the stream at out[offset + i], and writes nothing else. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.RandomConformance#dtypeAndDistribution")
    default void randomSpiAtAnOffset(Distribution d, DType dt) {
        Backend be = backend();
        double a = d == Distribution.BERNOULLI ? 0.6 : 0;
        double b = d == Distribution.BERNOULLI ? 5 : 1;
        int n = 67;
        try (Scope _ = Scope.open()) {
            Tensor ref = Tensor.random(be, dt, d, a, b, 7, 11, n);
            Tensor out = Host.padded(be, dt, new double[n], 5, 3, -8);
            be.random(d, a, b, 7, 11, at(out, 5), n);
            String what = "random " + d + " " + dt + " at offset 5";
            Host.assertExact(what, values(ref), Host.read(be, at(out, 5), n));
            Host.assertPaddingIntact(what, out, 5, n, -8);
        }
    }

    // ------------------------------------------------------------------ statistics

    @ParameterizedTest
    @EnumSource(DType.class)
    default void uniformAndNormalMomentsOnOneHundredThousandSamples(DType dt) {
        Backend be = backend();
        int n = 100_000;
        double[] u = fill(be, dt, Distribution.UNIFORM, 0, 1, 2024, 1, n);
        double[] mu = moments(u);
        assertThat(mu[0]).as("uniform mean %s", dt).isBetween(0.495, 0.505);
        assertThat(mu[1]).as("uniform variance %s", dt).isBetween(1.0 / 12 - 0.003, 1.0 / 12 + 0.003);
        for (double v : u) {
            // an odd multiple of 2^-24: strictly inside (0, 1) in both dtypes
            assertThat(v).as("uniform sample %s", dt).isGreaterThan(0.0).isLessThan(1.0);
        }
        double[] z = fill(be, dt, Distribution.NORMAL, 0, 1, 2024, 2, n);
        double[] mz = moments(z);
        assertThat(mz[0]).as("normal mean %s", dt).isBetween(-0.02, 0.02);
        assertThat(mz[1]).as("normal variance %s", dt).isBetween(0.97, 1.03);
        int beyond3 = 0;
        for (double v : z) {
            assertThat(Double.isFinite(v)).isTrue();
            if (Math.abs(v) > 3) {
                beyond3++;
            }
        }
        // P(|z| > 3) = 0.27%: 270 expected
        assertThat(beyond3).as("normal tail beyond 3 sigma %s", dt).isBetween(150, 400);
        double[] shifted = fill(be, dt, Distribution.NORMAL, 5, 2, 2024, 3, n);
        double[] ms = moments(shifted);
        assertThat(ms[0]).as("normal(5, 2) mean %s", dt).isBetween(4.96, 5.04);
        assertThat(ms[1]).as("normal(5, 2) variance %s", dt).isBetween(3.88, 4.12);
    }

    private static double[] moments(double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        return new double[] {mean, var / v.length};
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void bernoulliKeepFractionAndValues(DType dt) {
        Backend be = backend();
        int n = 100_000;
        for (double p : new double[] {0.8, 0.5, 0.1, 1.0}) {
            double scale = 1 / p;
            double[] mask = fill(be, dt, Distribution.BERNOULLI, p, scale, 77, 9, n);
            int kept = 0;
            for (double v : mask) {
                if (v != 0) {
                    assertThat(v).as("kept value of bernoulli(%s) %s", p, dt).isEqualTo(Host.round(dt, scale));
                    kept++;
                }
            }
            double fraction = (double) kept / n;
            if (p == 1.0) {
                assertThat(kept).as("keep-probability 1 keeps everything").isEqualTo(n);
            } else {
                assertThat(fraction).as("keep fraction of bernoulli(%s) %s", p, dt).isBetween(p - 0.01, p + 0.01);
            }
        }
    }
}
