/*
 * Ember's opt-in TF32 tensor-core SGEMM: C = alpha op(A) op(B) + beta C on F32 matrices whose products
 * are formed in TF32 (10-bit mantissa inputs, rounded to nearest; F32 accumulation), through
 * nvcuda::wmma's m16n16k8 shape. Conventions and parameter list as in gemm_common.cuh; compiled for
 * compute_80 (TF32 tensor cores first appear in sm_80). Kernels: ember_sgemm_tf32_{nn,nt,tn,tt}, the
 * suffix naming op(A) then op(B).
 *
 * Tiling: a block of 256 threads (8 warps, 2 down x 4 across) computes a 128 x 128 tile of C in steps
 * of BK = 32 along k; each warp owns a 64 x 32 sub-tile, 4 x 2 accumulator fragments. Global memory
 * reaches shared memory through cp.async (16 bytes a thread at a time, zero-filled past the edges), in
 * two stages: while the warps multiply one stage the next one is in flight.
 *
 * Each operand keeps the orientation it has in global memory, so every copy is a plain 16-byte one
 * and wmma's layout tag absorbs the transpose: an operand stored k-contiguous (A, or B^T) sits in
 * shared memory as [m or n][k] rows of LD_K floats; one stored m- or n-contiguous (A^T, or B) as [k][m
 * or n] rows of LD_MN floats. The paddings (4 and 8 floats) keep the fragment loads free of bank
 * conflicts and every fragment pointer 32-byte aligned, as load_matrix_sync requires.
 *
 * The epilogue stages each warp's accumulators through shared memory (the pipeline's buffers, free by
 * then) so that the alpha/beta update is an ordinary guarded, coalesced float4 pass over C: edges and
 * any leading dimension work, and beta == 0 never reads C.
 *
 * Preconditions (GemmPlan checks them; the kernel trusts them):
 *   - a device of compute capability 8.0 or newer;
 *   - M, N and K are multiples of 4 and K >= 4; aoff, lda, boff, ldb, coff and ldc are multiples of 4,
 *     and the buffers' base addresses are 16-byte aligned (cuMemAlloc's are 256-byte aligned);
 *   - the launch passes SMEM_BYTES = 73728 bytes of dynamic shared memory, which is above the default
 *     48 KiB: the host raises CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES to it once per kernel.
 *     73728 bytes fit every TF32-capable device (sm_86 and sm_89 allow 99 KiB a block).
 * Launch: grid tiles(M, 128) * tiles(N, 128), block 256, 73728 bytes dynamic shared memory.
 */
#include "gemm_common.cuh"

#ifndef EMBER_HOST_EMULATION
#include <mma.h>
#endif

using ember_gemm::Tile;
using ember_gemm::tile_of_block;
using ember_gemm::tiles;
namespace wmma = nvcuda::wmma;

namespace tf32 {

constexpr int BM = 128, BN = 128, BK = 32, THREADS = 256;
constexpr int WARP_M = 64, WARP_N = 32;              // a warp's sub-tile of C
constexpr int FRAG_M = WARP_M / 16, FRAG_N = WARP_N / 16;  // 4 x 2 fragments of 16 x 16
constexpr int LD_K = BK + 4;     // 36: rows of a k-contiguous tile ([m][k] or [n][k])
constexpr int LD_MN = BM + 8;    // 136: rows of an m- or n-contiguous tile ([k][m] or [k][n])
constexpr int STAGE_FLOATS = 4608;  // one operand's tile in either orientation
constexpr int STAGES = 2;
constexpr int LD_OUT = WARP_N + 4;  // 36: rows of a warp's staged accumulators
constexpr int SMEM_BYTES = STAGES * 2 * STAGE_FLOATS * 4;

static_assert(BM == BN, "LD_MN serves both operands");
static_assert(BM * LD_K <= STAGE_FLOATS && BK * LD_MN <= STAGE_FLOATS, "a tile fits its stage");
static_assert((STAGE_FLOATS * 4) % 128 == 0, "stages keep the buffer's 128-byte alignment");
static_assert((16 * LD_K * 4) % 32 == 0 && (8 * LD_MN * 4) % 32 == 0, "fragment pointers stay 32-byte aligned");
static_assert(LD_K % 4 == 0 && LD_MN % 4 == 0 && LD_OUT % 4 == 0, "wmma's ldm: a multiple of 16 bytes");
static_assert((THREADS / 32) * WARP_M * LD_OUT * 4 <= SMEM_BYTES, "the epilogue's staging fits the buffers");
static_assert(SMEM_BYTES == 73728, "GemmPlan.TF32_SHARED_BYTES must equal SMEM_BYTES");
static_assert((THREADS / 32) == (BM / WARP_M) * (BN / WARP_N), "the warps tile the block's tile exactly");

}  // namespace tf32

#ifndef EMBER_HOST_EMULATION
extern __shared__ __align__(128) float ember_tf32_smem[];

/* Copies 16 bytes from global to shared memory asynchronously; with valid false it writes 16 zero bytes
 * and reads nothing (src-size 0), though the source must still be a mapped address. */
__device__ __forceinline__ void cp_async16(float* dst, const float* src, bool valid) {
    const unsigned s = static_cast<unsigned>(__cvta_generic_to_shared(dst));
    const int bytes = valid ? 16 : 0;
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(src), "r"(bytes) : "memory");
}

__device__ __forceinline__ void cp_async_commit() {
    asm volatile("cp.async.commit_group;\n" ::: "memory");
}

/* Waits for this thread's copies; a barrier after it makes every thread's copies visible to the block. */
__device__ __forceinline__ void cp_async_wait_all() {
    asm volatile("cp.async.wait_all;\n" ::: "memory");
}
#endif

namespace tf32 {

template <bool C, class X, class Y>
struct Pick {
    using type = X;
};
template <class X, class Y>
struct Pick<false, X, Y> {
    using type = Y;
};

/*
 * Copies one operand's BK-deep tiles into shared memory, one tile a call. kContig: the operand is stored
 * k-contiguous (element (r, p) of a tile at g[(r0 + r) * ld + p0 + p]), else r-contiguous (at
 * g[(p0 + p) * ld + r0 + r]); r runs over the tile's 128 rows of op(A) or columns of op(B). Each thread
 * copies 4 float4s a tile, 32 rows apart (kContig) or 8 k apart: one base pointer and one stride, so
 * that few registers stay live across the main loop. rRem (rows left from r0) and kRem are multiples
 * of 4, so a float4 is wholly inside the matrix or wholly outside (then zero-filled).
 */
__device__ __forceinline__ int min4(int n) {
    return n < 4 ? n : 4;
}

template <bool kContig>
struct TileLoader {
    static constexpr int PER_ROW = kContig ? BK / 4 : BM / 4;   // float4s along a tile's contiguous side
    static constexpr int Q_STEP = THREADS / PER_ROW;             // rows (kContig) or k between a thread's copies
    static constexpr int DST_STEP = kContig ? Q_STEP * LD_K : Q_STEP * LD_MN;
    static_assert((BM * BK) / 4 == 4 * THREADS, "4 float4s per thread and tile");

    const float* g;    // the matrix's first element: the (unread) source of a zero-filling copy
    const float* src;  // this thread's first float4 of the next tile to copy
    size_t qStride;    // from one of its float4s to the next, in global memory
    size_t kStep;      // from one tile to the next
    int p;             // k of its first float4 within a tile
    int qRows;         // how many of its float4s (the first ones) lie in rows that exist
    int dst;           // offset of its first float4 within a stage

    __device__ __forceinline__ TileLoader(const float* g_, int ld, int r0, int rRem) : g(g_) {
        const int tid = (int) threadIdx.x;
        const int r = kContig ? tid / PER_ROW : (tid % PER_ROW) * 4;
        p = kContig ? (tid % PER_ROW) * 4 : tid / PER_ROW;
        // kContig: float4 q is in row r + q * Q_STEP; else all four are in row r.
        qRows = r >= rRem ? 0 : kContig ? min4((rRem - r - 1) / Q_STEP + 1) : 4;
        src = kContig ? g + (size_t) (r0 + r) * ld + p : g + (size_t) p * ld + (r0 + r);
        qStride = (size_t) Q_STEP * ld;
        kStep = kContig ? (size_t) BK : (size_t) BK * ld;
        dst = kContig ? r * LD_K + p : p * LD_MN + r;
    }

    /* Queues this thread's copies of the next tile, whose first k is kRem before the end, into stage s. */
    __device__ __forceinline__ void load(float* s, int kRem) {
#pragma unroll
        for (int q = 0; q < 4; q++) {
            const bool valid = q < qRows && (kContig ? p : p + q * Q_STEP) < kRem;
            cp_async16(s + dst + q * DST_STEP, valid ? src + q * qStride : g, valid);
        }
        src += kStep;
    }
};

template <bool TA, bool TB>
__device__ __forceinline__ void sgemm_tf32(int M, int N, int K, float alpha,
                                           const float* __restrict__ A, int aoff, int lda,
                                           const float* __restrict__ B, int boff, int ldb, float beta,
                                           float* __restrict__ C, int coff, int ldc) {
    // op(A) = A is k-contiguous: row-major [m][k] fragments; op(A) = A^T: column-major, from [k][m].
    // op(B) = B is n-contiguous: row-major [k][n]; op(B) = B^T: column-major, from [n][k].
    using LayoutA = typename Pick<TA, wmma::col_major, wmma::row_major>::type;
    using LayoutB = typename Pick<TB, wmma::col_major, wmma::row_major>::type;
    using FragA = wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, LayoutA>;
    using FragB = wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, LayoutB>;
    using FragC = wmma::fragment<wmma::accumulator, 16, 16, 8, float>;

    float* const smem = ember_tf32_smem;
    const int tid = (int) threadIdx.x;
    const int warp = tid / 32;
    const int lane = tid % 32;
    const int wm = warp / (BN / WARP_N);  // 0..1: the warp's sub-tile row
    const int wn = warp % (BN / WARP_N);  // 0..3: its sub-tile column
    const Tile tile = tile_of_block(M, N, BM, BN);
    const int mRem = M - tile.row0;
    const int nRem = N - tile.col0;

    FragC acc[FRAG_M][FRAG_N];
#pragma unroll
    for (int i = 0; i < FRAG_M; i++) {
#pragma unroll
        for (int j = 0; j < FRAG_N; j++) {
            wmma::fill_fragment(acc[i][j], 0.0f);
        }
    }

    // Stage s holds A's tile at smem + s * 2 * STAGE_FLOATS and B's right after it.
    TileLoader<!TA> loadA(A + aoff, lda, tile.row0, mRem);
    TileLoader<TB> loadB(B + boff, ldb, tile.col0, nRem);
    auto load_stage = [&](int s, int p0) {
        float* as = smem + s * 2 * STAGE_FLOATS;
        loadA.load(as, K - p0);
        loadB.load(as + STAGE_FLOATS, K - p0);
        cp_async_commit();
    };

    const int kTiles = tiles(K, BK);
    load_stage(0, 0);
    for (int t = 0; t < kTiles; t++) {
        // Tile t has landed for this thread; the barrier makes it visible to all, and also proves every
        // warp has finished step t - 1, whose stage ((t + 1) % 2) the next copy may now overwrite.
        cp_async_wait_all();
        __syncthreads();
        if (t + 1 < kTiles) {
            load_stage((t + 1) % STAGES, (t + 1) * BK);  // in flight during this step's products
        }
        const float* as = smem + (t % STAGES) * 2 * STAGE_FLOATS;
        const float* bs = as + STAGE_FLOATS;
        // Not unrolled: unrolled, the compiler hoists later steps' fragment loads and spills under the
        // 128 registers that two blocks a multiprocessor allow. B's fragments for all of the warp's
        // columns, then one A fragment at a time, for the same reason.
#pragma unroll 1
        for (int kk = 0; kk < BK; kk += 8) {
            FragB fb[FRAG_N];
#pragma unroll
            for (int j = 0; j < FRAG_N; j++) {
                const int c = wn * WARP_N + j * 16;
                wmma::load_matrix_sync(fb[j], TB ? bs + c * LD_K + kk : bs + kk * LD_MN + c, TB ? LD_K : LD_MN);
#pragma unroll
                for (int e = 0; e < fb[j].num_elements; e++) {
                    fb[j].x[e] = wmma::__float_to_tf32(fb[j].x[e]);
                }
            }
#pragma unroll
            for (int i = 0; i < FRAG_M; i++) {
                const int r = wm * WARP_M + i * 16;
                FragA fa;
                wmma::load_matrix_sync(fa, TA ? as + kk * LD_MN + r : as + r * LD_K + kk, TA ? LD_MN : LD_K);
#pragma unroll
                for (int e = 0; e < fa.num_elements; e++) {
                    fa.x[e] = wmma::__float_to_tf32(fa.x[e]);
                }
#pragma unroll
                for (int j = 0; j < FRAG_N; j++) {
                    wmma::mma_sync(acc[i][j], fa, fb[j], acc[i][j]);
                }
            }
        }
    }
    // No copy is outstanding (the last step issued none); the barrier keeps every warp's last reads
    // of the stages ahead of the staging writes below, which reuse that memory.
    cp_async_wait_all();
    __syncthreads();

    float* out = smem + warp * WARP_M * LD_OUT;  // this warp's 64 x 32 accumulators, rows of LD_OUT
#pragma unroll
    for (int i = 0; i < FRAG_M; i++) {
#pragma unroll
        for (int j = 0; j < FRAG_N; j++) {
            wmma::store_matrix_sync(out + i * 16 * LD_OUT + j * 16, acc[i][j], LD_OUT, wmma::mem_row_major);
        }
    }
    __syncwarp();

    // Lane l writes float4 column (l % 8) * 4 of rows l / 8 + 4 q: 8 lanes cover a 128-byte row segment.
    const int c = (lane % 8) * 4;
    const int col = wn * WARP_N + c;  // within the block's tile
    if (col < nRem) {
        float* cCol = C + coff + tile.col0 + col;
#pragma unroll 4
        for (int q = 0; q < WARP_M / 4; q++) {
            const int r = lane / 8 + 4 * q;
            const int row = wm * WARP_M + r;
            if (row < mRem) {
                const float4 s = *reinterpret_cast<const float4*>(out + r * LD_OUT + c);
                float4 v = make_float4(alpha * s.x, alpha * s.y, alpha * s.z, alpha * s.w);
                float4* dst = reinterpret_cast<float4*>(cCol + (size_t) (tile.row0 + row) * ldc);
                if (beta != 0.0f) {
                    const float4 old = *dst;
                    v.x += beta * old.x;
                    v.y += beta * old.y;
                    v.z += beta * old.z;
                    v.w += beta * old.w;
                }
                *dst = v;
            }
        }
    }
}

}  // namespace tf32

/* Two blocks per multiprocessor where shared memory allows: the compiler keeps to 128 registers. */
#define EMBER_SGEMM_TF32(name, TA, TB)                                                                  \
    extern "C" __global__ void __launch_bounds__(256, 2)                                              \
        name(int M, int N, int K, float alpha, const float* __restrict__ A, int aoff, int lda,        \
             const float* __restrict__ B, int boff, int ldb, float beta, float* __restrict__ C, int coff, \
             int ldc) {                                                                                \
        tf32::sgemm_tf32<TA, TB>(M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc);     \
    }

EMBER_SGEMM_TF32(ember_sgemm_tf32_nn, false, false)
EMBER_SGEMM_TF32(ember_sgemm_tf32_nt, false, true)
EMBER_SGEMM_TF32(ember_sgemm_tf32_tn, true, false)
EMBER_SGEMM_TF32(ember_sgemm_tf32_tt, true, true)
