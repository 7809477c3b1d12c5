package dev.ember.core.spi;

/**
 * Philox-4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11) and the
 * mapping from its 32-bit words to Ember's random tensors. This class is the reference every
 * backend must match bit for bit on the integer words.
 *
 * <p>Element {@code i} of a random fill with {@code (seed, stream)} uses word {@code i & 3} of the
 * block with counter {@code (lo(i>>2), hi(i>>2), lo(stream), hi(stream))} and key
 * {@code (lo(seed), hi(seed))}. A word {@code w} becomes the uniform {@code ((w >>> 9) + 0.5) / 2^23}
 * in (0, 1): an odd multiple of 2^-24, so it is exact and strictly inside (0, 1) in F32 as in F64. Normal values come in Box–Muller pairs: elements
 * {@code 2j} and {@code 2j+1} take {@code r = sqrt(-2 ln u(2j))}, {@code t = 2 pi u(2j+1)} and are
 * {@code r cos t} and {@code r sin t}.
 */
public final class Philox {
    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final double TWO_POW_MINUS_23 = 1.0 / (1 << 23);

    private Philox() {
    }

    /** One Philox-4x32-10 block: encrypts counter {@code ctr} (4 words) under key {@code key} (2 words) into {@code out}. */
    public static void block(int[] ctr, int[] key, int[] out) {
        int c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
        int k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n1 = (int) p1;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            int n3 = (int) p0;
            c0 = n0;
            c1 = n1;
            c2 = n2;
            c3 = n3;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /** The 32-bit word for element {@code index} of stream {@code (seed, stream)}. */
    public static int word(long seed, long stream, long index) {
        int[] out = new int[4];
        long blockIndex = index >>> 2;
        block(new int[] {(int) blockIndex, (int) (blockIndex >>> 32), (int) stream, (int) (stream >>> 32)},
                new int[] {(int) seed, (int) (seed >>> 32)}, out);
        return out[(int) (index & 3)];
    }

    /**
     * Maps a word to a uniform number in (0, 1): its top 23 bits plus one half, times 2^-23. The
     * result needs 24 significant bits, exactly what F32 has, so it is the same number in both dtypes
     * and never rounds to 0 or 1.
     */
    public static double uniform(int word) {
        return ((word >>> 9) + 0.5) * TWO_POW_MINUS_23;
    }

    /** Standard normal for element {@code index} (Box–Muller over the element's pair). */
    public static double normal(long seed, long stream, long index) {
        long first = index & ~1L;
        double u1 = uniform(word(seed, stream, first));
        double u2 = uniform(word(seed, stream, first + 1));
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double t = 2.0 * Math.PI * u2;
        return (index & 1) == 0 ? r * Math.cos(t) : r * Math.sin(t);
    }
}
