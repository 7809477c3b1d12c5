package dev.ember.cpu.kernels;

import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Philox;

/**
 * Philox-4x32-10 blocks with exactly the mapping of {@code dev.ember.core.spi.Philox}, for both
 * dtypes' random kernels: element {@code i} is word {@code i & 3} of the block with counter
 * {@code (i >> 2, stream)} under key {@code seed}. One block gives four consecutive elements (and
 * two whole Box–Muller pairs), computed in double.
 */
final class PhiloxBlocks {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    /** Blocks (of four elements) per task. */
    static final int BLOCK_GRAIN = 1 << 12;

    private PhiloxBlocks() {
    }

    /** Blocks covering {@code length} elements. */
    static int blocks(int length) {
        return (int) (((long) length + 3) >>> 2);
    }

    /** The four values of block {@code q}: elements {@code 4q .. 4q + 3}, in {@code v[0 .. 3]}. */
    static void block(Distribution dist, double a, double b, long seed, long stream, long q, double[] v) {
        int c0 = (int) q;
        int c1 = (int) (q >>> 32);
        int c2 = (int) stream;
        int c3 = (int) (stream >>> 32);
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
            k0 += W0;
            k1 += W1;
        }
        double u0 = Philox.uniform(c0);
        double u1 = Philox.uniform(c1);
        double u2 = Philox.uniform(c2);
        double u3 = Philox.uniform(c3);
        switch (dist) {
            case UNIFORM -> {
                double width = b - a;
                v[0] = a + width * u0;
                v[1] = a + width * u1;
                v[2] = a + width * u2;
                v[3] = a + width * u3;
            }
            case NORMAL -> {
                // Box–Muller over the pairs (0, 1) and (2, 3), written as in Philox.normal
                double r = Math.sqrt(-2.0 * Math.log(u0));
                double t = 2.0 * Math.PI * u1;
                v[0] = a + b * (r * Math.cos(t));
                v[1] = a + b * (r * Math.sin(t));
                r = Math.sqrt(-2.0 * Math.log(u2));
                t = 2.0 * Math.PI * u3;
                v[2] = a + b * (r * Math.cos(t));
                v[3] = a + b * (r * Math.sin(t));
            }
            case BERNOULLI -> {
                v[0] = u0 < a ? b : 0.0;
                v[1] = u1 < a ? b : 0.0;
                v[2] = u2 < a ? b : 0.0;
                v[3] = u3 < a ? b : 0.0;
            }
        }
    }
}
