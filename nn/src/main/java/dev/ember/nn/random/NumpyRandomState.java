package dev.ember.nn.random;

/**
 * numpy's legacy {@code np.random.RandomState} (what {@code np.random.seed(s); np.random.randn(...)}
 * uses), reproduced bit for bit: the 32-bit Mersenne Twister MT19937 seeded by {@code init_genrand},
 * {@code rand}/{@code random_sample} as 53-bit doubles {@code (a>>5, b>>6)}, {@code randn} by the
 * legacy polar (Marsaglia) Gaussian with its cached second value, and {@code permutation} by the
 * legacy Fisher–Yates shuffle from the end with masked rejection sampling ({@code random_interval}).
 *
 * <p>Arrays are filled in row-major (C) order, as numpy fills them. Not thread-safe.
 */
public final class NumpyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int mti;
    private boolean hasGauss;
    private double gauss;

    /** {@code np.random.RandomState(seed)}: seed in [0, 2^32). */
    public NumpyRandomState(long seed) {
        seed(seed);
    }

    /** {@code np.random.seed(seed)}: re-seeds and forgets the cached Gaussian. */
    public NumpyRandomState seed(long seed) {
        if (seed < 0 || seed > 0xffffffffL) {
            throw new IllegalArgumentException("numpyRandom: seed must be in [0, 2^32), got " + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
        hasGauss = false;
        gauss = 0;
        return this;
    }

    /** The next 32-bit output of MT19937 (as an unsigned value in a long). */
    public long nextUint32() {
        if (mti >= N) {
            generate();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void generate() {
        int kk;
        int y;
        for (kk = 0; kk < N - M; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + M] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        for (; kk < N - 1; kk++) {
            y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
            mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
        mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        mti = 0;
    }

    /** {@code random_sample()}: a double in [0, 1) with 53 random bits. */
    public double nextDouble() {
        long a = nextUint32() >>> 5;
        long b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** {@code standard_normal()} of the legacy generator: the polar method, caching the second value. */
    public double nextGaussian() {
        if (hasGauss) {
            hasGauss = false;
            double g = gauss;
            gauss = 0;
            return g;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * nextDouble() - 1.0;
            x2 = 2.0 * nextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** {@code np.random.rand(count)} (row-major for any shape of that size). */
    public double[] rand(int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = nextDouble();
        }
        return out;
    }

    /** {@code np.random.randn(count)} (row-major for any shape of that size). */
    public double[] randn(int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = nextGaussian();
        }
        return out;
    }

    /** numpy's {@code random_interval(max)}: uniform in [0, max] by masked rejection. */
    public long randomInterval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        mask |= mask >>> 32;
        long value;
        if (max <= 0xffffffffL) {
            while ((value = nextUint32() & mask) > max) {
                // rejected
            }
        } else {
            while ((value = nextUint64() & mask) > max) {
                // rejected
            }
        }
        return value;
    }

    private long nextUint64() {
        return (nextUint32() << 32) | nextUint32();
    }

    /** {@code np.random.shuffle} of a 1-D array (legacy): Fisher–Yates from the last element down. */
    public void shuffle(int[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = (int) randomInterval(i);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** {@code np.random.permutation(n)}. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p);
        return p;
    }
}
