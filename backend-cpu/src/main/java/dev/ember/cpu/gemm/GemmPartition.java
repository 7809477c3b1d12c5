package dev.ember.cpu.gemm;

/**
 * Splits C into a {@code rows x cols} grid of independent sub-products, one per thread. Each part
 * runs the whole blocked loop nest on its own rows of op(A) and columns of op(B), packing them
 * itself, so threads share nothing and never wait on each other; the price is that every column
 * part packs its rows of A and every row part its columns of B. The grid minimises an estimate of
 * the slowest part's time: its flops, its packing, and a fixed cost for handing work to a helper
 * thread. Helpers spin between calls ({@code Parallel}), so handing over costs a few microseconds
 * and products from about 96 x 96 x 96 up split; a parked helper wakes in 50-100 us, but the
 * caller does not wait for it (it takes the unclaimed parts itself).
 */
record GemmPartition(int rows, int cols, int m, int n, int mr, int nr) {
    /** Below this many multiply-adds a product runs on the calling thread. */
    static final long SERIAL_WORK = 64L * 64 * 64;
    /** Flops that packing one element is assumed to cost (a memory-bound scalar copy). */
    private static final long PACK_COST = 32;
    /** Flops that handing parts to helper threads is assumed to cost (about 10 us at 100 GFLOPS). */
    private static final long SPAWN_COST = 1_000_000;

    static GemmPartition of(int m, int n, int k, int threads, int mr, int nr) {
        int grid = grid(m, n, k, threads, mr, nr);
        return new GemmPartition(grid >>> 16, grid & 0xFFFF, m, n, mr, nr);
    }

    /**
     * The chosen grid without allocating: {@code rows << 16 | cols} (both at most {@code threads},
     * so they fit). {@link #of} wraps it; the GEMM driver keeps the two ints.
     */
    static int grid(int m, int n, int k, int threads, int mr, int nr) {
        int rowTiles = (m + mr - 1) / mr;
        int colTiles = (n + nr - 1) / nr;
        if (threads <= 1 || (long) m * n * k < SERIAL_WORK) {
            return 1 << 16 | 1;
        }
        threads = Math.min(threads, 0xFFFF);
        int bestRows = 1, bestCols = 1;
        long bestCost = estimate((long) rowTiles * mr, (long) colTiles * nr, k, 1);
        for (int r = 1; r <= Math.min(threads, rowTiles); r++) {
            int c = Math.min(threads / r, colTiles);
            long cost = estimate((long) ceilDiv(rowTiles, r) * mr, (long) ceilDiv(colTiles, c) * nr, k, r * c);
            if (cost < bestCost) {
                bestCost = cost;
                bestRows = r;
                bestCols = c;
            }
        }
        return bestRows << 16 | bestCols;
    }

    /** The modelled time, in flops, of one part of {@code rows x cols} when C is cut into {@code parts}. */
    private static long estimate(long rows, long cols, int k, int parts) {
        return 2 * rows * cols * k + PACK_COST * (rows + cols) * k + (parts > 1 ? SPAWN_COST : 0);
    }

    int parts() {
        return rows * cols;
    }

    int rowStart(int part) {
        return bound(part / cols, rows, m, mr);
    }

    int rowEnd(int part) {
        return bound(part / cols + 1, rows, m, mr);
    }

    int colStart(int part) {
        return bound(part % cols, cols, n, nr);
    }

    int colEnd(int part) {
        return bound(part % cols + 1, cols, n, nr);
    }

    /** The first index of slice {@code i} of {@code length} split into {@code slices} in whole tiles. */
    static int bound(int i, int slices, int length, int tile) {
        int tiles = (length + tile - 1) / tile;
        return Math.min(length, (int) ((long) tiles * i / slices) * tile);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
