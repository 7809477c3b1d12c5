/*
 * What Ember's GEMM kernels (gemm.cu, gemm_tf32.cu) share: the block-to-tile mapping and the tile count.
 *
 * Every GEMM kernel computes C = alpha op(A) op(B) + beta C on row-major matrices: element (i, j) of A
 * is A[aoff + i * lda + j], op(A) = A^T reads A[aoff + j * lda + i], and likewise for B and C. All of
 * them take one parameter list, (M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc), run
 * a one-dimensional grid of tiles(M, BM) * tiles(N, BN) blocks and never read C when beta == 0 (a NaN
 * in C must not leak into the result).
 *
 * Index arithmetic: Ember's buffers hold fewer than 2^31 elements, so an int index of an element that
 * exists cannot overflow; addresses of elements that may not exist (past an edge) are formed only to
 * be skipped by a guard, or clamped to one that exists.
 */
#ifndef EMBER_GEMM_COMMON_CUH
#define EMBER_GEMM_COMMON_CUH

namespace ember_gemm {

/* Number of tiles of size t covering n >= 1 elements; (n + t - 1) / t would overflow near INT_MAX. */
__device__ __forceinline__ int tiles(int n, int t) {
    return (n - 1) / t + 1;
}

/* Tile rows a group of consecutive blocks walks down before moving one tile column right. */
constexpr int GROUP_M = 8;

/* The top-left corner of the tile of C this block computes. */
struct Tile {
    int row0;
    int col0;
};

/*
 * Maps the one-dimensional block index onto the tiles(M, BM) x tiles(N, BN) tiles of C, grouped: blocks
 * b, b + 1, ... run down GROUP_M tile rows, then move right, so the blocks resident at one time read a
 * few tile rows of A and a few tile columns of B, which then stay in L2. A one-dimensional grid also
 * lifts gridDim.y's limit of 65535. The map is a bijection: group g holds rows [g * GROUP_M, +rows),
 * rows = min(GROUP_M, tilesM - g * GROUP_M), and its rows * tilesN blocks enumerate them column by column.
 */
__device__ __forceinline__ Tile tile_of_block(int M, int N, int BM, int BN) {
    const int tilesM = tiles(M, BM);
    const int tilesN = tiles(N, BN);
    const int pid = (int) blockIdx.x;
    const int perGroup = GROUP_M * tilesN;
    const int group = pid / perGroup;
    const int firstRow = group * GROUP_M;
    const int rows = tilesM - firstRow < GROUP_M ? tilesM - firstRow : GROUP_M;
    const int inGroup = pid - group * perGroup;
    Tile t;
    t.row0 = (firstRow + inGroup % rows) * BM;
    t.col0 = (inGroup / rows) * BN;
    return t;
}

}  // namespace ember_gemm

#endif
