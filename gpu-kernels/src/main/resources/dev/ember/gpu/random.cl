/*
 * Counter-based random fills with Philox-4x32-10, mapped exactly as dev.ember.core.spi.Philox:
 * element i uses word (i & 3) of the block with counter (i >> 2, 0, stream lo, stream hi) and key
 * (seed lo, seed hi). One work-item computes one block, i.e. four elements.
 */

#define D_UNIFORM 0
#define D_NORMAL 1
#define D_BERNOULLI 2

DEVICE_FN void philox4x32_10(u32* c, u32 k0, u32 k1) {
    for (int round = 0; round < 10; round++) {
        u32 hi0 = MULHI_U32(0xD2511F53u, c[0]);
        u32 lo0 = 0xD2511F53u * c[0];
        u32 hi1 = MULHI_U32(0xCD9E8D57u, c[2]);
        u32 lo1 = 0xCD9E8D57u * c[2];
        u32 n0 = hi1 ^ c[1] ^ k0;
        u32 n2 = hi0 ^ c[3] ^ k1;
        c[0] = n0;
        c[1] = lo1;
        c[2] = n2;
        c[3] = lo0;
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
}

/*
 * ((w >>> 9) + 0.5) / 2^23 as the odd 24-bit integer q = 2 (w >>> 9) + 1 times 2^-24: q is exact in
 * F32, so F32 and F64 hold the same number, strictly inside (0, 1).
 */
DEVICE_FN u32 uniform_q(u32 w) {
    return ((w >> 9) << 1) | 1u;
}

DEVICE_FN real uniform(u32 w) {
    return R(uniform_q(w)) * R(5.9604644775390625e-8); /* 2^-24, exact */
}

/*
 * ln(u) for u = q 2^-24: below one half u is computed exactly; above, the distance to 1,
 * (2^24 - q) 2^-24, is exact and log1p keeps the digits that ln(1 - small) would lose.
 */
DEVICE_FN real log_uniform(u32 q) {
    if (q < (1u << 23)) {
        return log(R(q) * R(5.9604644775390625e-8));
    }
    return log1p(-R((1u << 24) - q) * R(5.9604644775390625e-8));
}

/*
 * cos and sin of t = 2 pi u for u = q 2^-24, reduced exactly: the top two bits of q pick the
 * quadrant, the low 22 bits give the angle in it as an exact multiple of pi (for sinpi/cospi).
 */
DEVICE_FN void cos_sin_turn(u32 q, real* c, real* s) {
    real f = R(q & 0x3FFFFFu) * R(1.1920928955078125e-7); /* 2^-23: angle / pi within the quadrant */
    real c0 = cospi(f);
    real s0 = sinpi(f);
    switch (q >> 22) {
        case 0: *c = c0; *s = s0; break;
        case 1: *c = -s0; *s = c0; break;
        case 2: *c = -c0; *s = -s0; break;
        default: *c = s0; *s = -c0; break;
    }
}

/*
 * a, b: see dev.ember.core.spi.Distribution. keepBelow: for BERNOULLI, an element is kept when
 * q < keepBelow, the host's exact integer form of u < a (keepBelow = ceil(a * 2^24)).
 */
KERNEL void ember_random(int dist, real a, real b, u32 keepBelow, u32 seedLo, u32 seedHi,
                         u32 streamLo, u32 streamHi, GLOBAL real* out, int off, int n) {
    int blocks = (n + 3) / 4;
    GRID_STRIDE(blk, blocks) {
        u32 w[4];
        w[0] = (u32) blk;
        w[1] = 0u;
        w[2] = streamLo;
        w[3] = streamHi;
        philox4x32_10(w, seedLo, seedHi);
        int first = blk * 4;
        if (dist == D_NORMAL) {
            for (int e = 0; e < 4; e += 2) { /* Box-Muller pairs (2j, 2j+1) never straddle a block */
                real r = sqrt(R(-2) * log_uniform(uniform_q(w[e])));
                real c;
                real s;
                cos_sin_turn(uniform_q(w[e + 1]), &c, &s);
                if (first + e < n) {
                    out[off + first + e] = a + b * (r * c);
                }
                if (first + e + 1 < n) {
                    out[off + first + e + 1] = a + b * (r * s);
                }
            }
        } else {
            for (int e = 0; e < 4; e++) {
                if (first + e < n) {
                    real v;
                    if (dist == D_UNIFORM) {
                        v = a + (b - a) * uniform(w[e]);
                    } else {
                        v = uniform_q(w[e]) < keepBelow ? b : R(0);
                    }
                    out[off + first + e] = v;
                }
            }
        }
    }
}
