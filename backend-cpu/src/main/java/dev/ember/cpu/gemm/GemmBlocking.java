package dev.ember.cpu.gemm;

/**
 * Block sizes of the Goto/BLIS loop nest for one element size and micro-tile {@code mr x nr}:
 * {@code kc} such that a {@code kc x nr} micro-panel of B is a sixteenth of L2, within [64, 512]
 * (512 on the Zen 4 machine: 1 MiB L2, 128-byte B rows), an {@code mc x kc} block of A half of
 * L2, and a {@code kc x nc} panel of B half of this core's share of L3. Every slice reads and
 * writes all of C once, so a deeper slice means less C traffic; the B micro-panel it makes larger
 * than L1 streams from L2 at two vector loads per {@code 2 mr} FMAs, well within L2's bandwidth.
 * On the Zen 4 machine kc 512 against 256 (the old L1-sized slice) measured 2-9% faster for
 * square SGEMM from 1024 on and 8-19% for DGEMM, level on network shapes; AVX2 machines (64-byte
 * B rows) get 512 too, unmeasured. Each size can be overridden with {@code -Dember.gemm.kc},
 * {@code .mc}, {@code .nc} (for tuning).
 */
record GemmBlocking(int mr, int nr, int kc, int mc, int nc, int ms) {
    private static final CacheSizes CACHES = CacheSizes.detect();

    static GemmBlocking of(int elementBytes, int mr, int nr) {
        int kc = clamp(CACHES.l2() / 16 / (nr * elementBytes), 64, 512) & ~7;
        int mc = roundDown(clamp(CACHES.l2() / 2 / (kc * elementBytes), 4 * mr, 4096), mr);
        int nc = roundDown(clamp(CACHES.l3() / 2 / (kc * elementBytes), 4 * nr, 8192), nr);
        kc = Math.max(1, Integer.getInteger("ember.gemm.kc", kc));
        mc = Math.max(mr, roundDown(Integer.getInteger("ember.gemm.mc", mc), mr));
        nc = Math.max(nr, roundDown(Integer.getInteger("ember.gemm.nc", nc), nr));
        int ms = roundDown(clamp(CACHES.l3() / 2 / (kc * elementBytes), mc, 1 << 16), mr);
        ms = Math.max(mc, roundDown(Integer.getInteger("ember.gemm.ms", ms), mr));
        return new GemmBlocking(mr, nr, kc, mc, nc, ms);
    }

    /**
     * Splits {@code length} into the fewest blocks of at most {@code max} and returns the common
     * block size, rounded up to a multiple of {@code unit}: 300 with max 256 gives two 150s, not
     * 256 + 44.
     */
    static int balanced(int length, int max, int unit) {
        int blocks = (length + max - 1) / max;
        return Math.min(max, roundUp((length + blocks - 1) / blocks, unit));
    }

    static int roundUp(int x, int unit) {
        return (x + unit - 1) / unit * unit;
    }

    private static int roundDown(int x, int unit) {
        return Math.max(unit, x / unit * unit);
    }

    private static int clamp(int x, int lo, int hi) {
        return Math.max(lo, Math.min(hi, x));
    }
}
