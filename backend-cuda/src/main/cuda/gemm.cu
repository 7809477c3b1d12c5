/*
 * Ember's GEMM for CUDA: C = alpha op(A) op(B) + beta C, row-major, with element offsets and leading
 * dimensions (gemm_common.cuh states the conventions every GEMM kernel shares). Compiled to PTX for the
 * oldest architecture the build's nvcc supports. Two families, one parameter list:
 *
 *   ember_gemm_{f32,f64}_{nn,nt,tn,tt}  the general kernel: any M, N >= 1, K >= 0, any offsets and
 *                                       leading dimensions, F32 and F64.
 *   ember_sgemm_big_{nn,nt,tn,tt}       the fast F32 kernel for large products, with preconditions (below).
 *
 * The suffix names op(A) then op(B): n is the matrix as stored, t its transpose. GemmPlan (Java) picks
 * the kernel and the launch; its checks are the single place where the fast kernel's preconditions
 * are enforced.
 */
#include "gemm_common.cuh"

using ember_gemm::Tile;
using ember_gemm::tile_of_block;
using ember_gemm::tiles;

/*
 * The general kernel. A block of 256 threads computes a 64 x 64 tile of C, staging a 64 x BK slice of
 * op(A) and a BK x 64 slice of op(B) in shared memory per step along k. Each thread accumulates a 4 x 4
 * grid of C: rows ty + 16 i and columns tx + 16 j, interleaved so that neighbouring threads touch
 * neighbouring addresses in shared and global memory. Loads past an edge read zero and stores past an
 * edge are skipped, so every shape works. Launch: grid tiles(M, 64) * tiles(N, 64), block 256, no
 * dynamic shared memory.
 */
template <typename T, int BK, bool TA, bool TB>
__device__ __forceinline__ void gemm_general(int M, int N, int K, T alpha,
                                             const T* __restrict__ A, int aoff, int lda,
                                             const T* __restrict__ B, int boff, int ldb, T beta,
                                             T* __restrict__ C, int coff, int ldc) {
    constexpr int BM = 64, BN = 64, TM = 4, TN = 4;
    constexpr int RM = BM / TM;  // thread rows: 16
    constexpr int RN = BN / TN;  // thread columns: 16
    constexpr int THREADS = RM * RN;
    static_assert(THREADS == 256, "the launch (GemmPlan) uses 256 threads");
    static_assert((BM * BK) % THREADS == 0 && (BK * BN) % THREADS == 0, "each thread loads whole elements");

    // As[p][i] = op(A)(row0 + i, p0 + p), Bs[p][j] = op(B)(p0 + p, col0 + j). The +1 spreads the
    // transposing stores (loads that walk k) over the banks.
    __shared__ T As[BK][BM + 1];
    __shared__ T Bs[BK][BN + 1];

    const int tid = (int) threadIdx.x;
    const int tx = tid % RN;
    const int ty = tid / RN;
    const Tile tile = tile_of_block(M, N, BM, BN);
    const int mRem = M - tile.row0;  // rows of C left from the tile's first one (>= 1)
    const int nRem = N - tile.col0;
    A += aoff;
    B += boff;
    C += coff;

    T acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < TN; j++) {
            acc[i][j] = T(0);
        }
    }

    const int kTiles = K > 0 ? tiles(K, BK) : 0;
    for (int t = 0; t < kTiles; t++) {
        const int p0 = t * BK;
        const int kRem = K - p0;
        // Consecutive threads read consecutive addresses: along k for A, along m for A^T (and B alike).
#pragma unroll
        for (int q = 0; q < BM * BK / THREADS; q++) {
            const int e = tid + q * THREADS;
            const int i = TA ? e % BM : e / BK;
            const int p = TA ? e / BM : e % BK;
            T v = T(0);
            if (i < mRem && p < kRem) {
                const int gi = tile.row0 + i, gp = p0 + p;
                v = TA ? A[gp * lda + gi] : A[gi * lda + gp];
            }
            As[p][i] = v;
        }
#pragma unroll
        for (int q = 0; q < BK * BN / THREADS; q++) {
            const int e = tid + q * THREADS;
            const int j = TB ? e / BK : e % BN;
            const int p = TB ? e % BK : e / BN;
            T v = T(0);
            if (j < nRem && p < kRem) {
                const int gj = tile.col0 + j, gp = p0 + p;
                v = TB ? B[gj * ldb + gp] : B[gp * ldb + gj];
            }
            Bs[p][j] = v;
        }
        __syncthreads();
#pragma unroll
        for (int p = 0; p < BK; p++) {
            T a[TM], b[TN];
#pragma unroll
            for (int i = 0; i < TM; i++) {
                a[i] = As[p][ty + i * RM];
            }
#pragma unroll
            for (int j = 0; j < TN; j++) {
                b[j] = Bs[p][tx + j * RN];
            }
#pragma unroll
            for (int i = 0; i < TM; i++) {
#pragma unroll
                for (int j = 0; j < TN; j++) {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        __syncthreads();  // the next step overwrites the tiles
    }

#pragma unroll
    for (int i = 0; i < TM; i++) {
        const int r = ty + i * RM;
        if (r < mRem) {
            T* cRow = C + (tile.row0 + r) * ldc + tile.col0;
#pragma unroll
            for (int j = 0; j < TN; j++) {
                const int c = tx + j * RN;
                if (c < nRem) {
                    T v = alpha * acc[i][j];
                    if (beta != T(0)) {
                        v += beta * cRow[c];
                    }
                    cRow[c] = v;
                }
            }
        }
    }
}

/*
 * The fast SGEMM: a block of 256 threads computes a 128 x 128 tile of C in steps of BK = 8 along k.
 * Each thread accumulates an 8 x 8 grid of C in registers: rows 4 ty + {0..3} and 64 + 4 ty + {0..3},
 * columns 4 tx + {0..3} and 64 + 4 tx + {0..3} (tx = tid % 16, ty = tid / 16), so its operands are two
 * float4 reads of each shared tile per k, and a warp's reads are broadcasts (A) or 256 contiguous bytes
 * (B), free of bank conflicts.
 *
 * Shared memory is double-buffered: while the block multiplies tile t, each thread already holds
 * tile t + 1's float4 of A and of B in registers (loaded before the multiply, so the load latency
 * hides behind it) and writes them to the other buffer afterwards; one barrier per step suffices (see
 * the loop). Both tiles are stored k-major (As[k][m], Bs[k][n]); an operand stored k-contiguous in
 * global memory (A, or B^T) is transposed on the way in by four scalar stores, and the 4-float padding
 * of each row makes those stores conflict-free.
 *
 * Preconditions (GemmPlan checks them; the kernel trusts them):
 *   - M, N and K are multiples of 4 and K >= 4 (a float4 never straddles an edge: an edge tile is
 *     zero-padded and its stores are guarded a whole float4 at a time);
 *   - aoff, lda, boff, ldb, coff and ldc are multiples of 4 and the buffers' base addresses are 16-byte
 *     aligned (cuMemAlloc's are 256-byte aligned), so every float4 access is aligned.
 * Launch: grid tiles(M, 128) * tiles(N, 128), block 256, no dynamic shared memory (16.5 KiB static).
 */
struct SgemmBig {
    static constexpr int BM = 128, BN = 128, BK = 8, PAD = 4, THREADS = 256;
};

__device__ __forceinline__ float4 ld4(const float* p) {
    return *reinterpret_cast<const float4*>(p);
}

__device__ __forceinline__ void st4(float* p, float4 v) {
    *reinterpret_cast<float4*>(p) = v;
}

template <bool TA, bool TB>
__device__ __forceinline__ void sgemm_big(int M, int N, int K, float alpha,
                                          const float* __restrict__ A, int aoff, int lda,
                                          const float* __restrict__ B, int boff, int ldb, float beta,
                                          float* __restrict__ C, int coff, int ldc) {
    constexpr int BM = SgemmBig::BM, BN = SgemmBig::BN, BK = SgemmBig::BK, PAD = SgemmBig::PAD;
    static_assert(BM * BK == 4 * SgemmBig::THREADS && BK * BN == 4 * SgemmBig::THREADS,
                  "each thread loads one float4 of each tile per step");

    __shared__ __align__(16) float As[2][BK][BM + PAD];  // As[buf][p][i] = op(A)(row0 + i, p0 + p)
    __shared__ __align__(16) float Bs[2][BK][BN + PAD];  // Bs[buf][p][j] = op(B)(p0 + p, col0 + j)

    const int tid = (int) threadIdx.x;
    const int tx = tid % 16;
    const int ty = tid / 16;
    const Tile tile = tile_of_block(M, N, BM, BN);
    const int mRem = M - tile.row0;  // >= 4, a multiple of 4
    const int nRem = N - tile.col0;

    // The float4 of each tile this thread loads. A stored k-contiguous (op(A) = A): row tid / 2 of the
    // tile, k quad (tid % 2) * 4; stored m-contiguous (op(A) = A^T): k row tid / 32, m quad (tid % 32) * 4.
    // B likewise with n for m: n-contiguous when op(B) = B, k-contiguous when op(B) = B^T.
    const int aRow = TA ? (tid % 32) * 4 : tid / 2;
    const int aK = TA ? tid / 32 : (tid % 2) * 4;
    const int bCol = TB ? tid / 2 : (tid % 32) * 4;
    const int bK = TB ? (tid % 2) * 4 : tid / 32;
    const bool aRowOk = aRow < mRem;  // rows past M read zero; the row used for the address stays in range
    const bool bColOk = bCol < nRem;
    const int aRowSafe = tile.row0 + (aRowOk ? aRow : 0);
    const int bColSafe = tile.col0 + (bColOk ? bCol : 0);
    const float* aPtr = TA ? A + aoff + (size_t) aK * lda + aRowSafe : A + aoff + (size_t) aRowSafe * lda + aK;
    const float* bPtr = TB ? B + boff + (size_t) bColSafe * ldb + bK : B + boff + (size_t) bK * ldb + bColSafe;
    const size_t aStep = TA ? (size_t) BK * lda : (size_t) BK;  // one tile further along k
    const size_t bStep = TB ? (size_t) BK : (size_t) BK * ldb;

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; i++) {
#pragma unroll
        for (int j = 0; j < 8; j++) {
            acc[i][j] = 0.0f;
        }
    }

    const float4 zero = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    int kRem = K;  // K - p0 of the tile in the registers; K % 4 == 0 keeps a float4 wholly in or out
    float4 ra = aRowOk && aK < kRem ? ld4(aPtr) : zero;
    float4 rb = bColOk && bK < kRem ? ld4(bPtr) : zero;

    // Writes the registers' float4s into buffer buf, k-major.
    auto stage = [&](int buf) {
        if (TA) {
            st4(&As[buf][aK][aRow], ra);
        } else {
            As[buf][aK + 0][aRow] = ra.x;
            As[buf][aK + 1][aRow] = ra.y;
            As[buf][aK + 2][aRow] = ra.z;
            As[buf][aK + 3][aRow] = ra.w;
        }
        if (TB) {
            Bs[buf][bK + 0][bCol] = rb.x;
            Bs[buf][bK + 1][bCol] = rb.y;
            Bs[buf][bK + 2][bCol] = rb.z;
            Bs[buf][bK + 3][bCol] = rb.w;
        } else {
            st4(&Bs[buf][bK][bCol], rb);
        }
    };

    stage(0);
    __syncthreads();

    const int kTiles = tiles(K, BK);
    for (int t = 0; t < kTiles; t++) {
        const int cur = t & 1;
        const bool more = t + 1 < kTiles;
        if (more) {  // issue tile t + 1's loads now; they complete while tile t is multiplied
            aPtr += aStep;
            bPtr += bStep;
            kRem -= BK;
            ra = aRowOk && aK < kRem ? ld4(aPtr) : zero;
            rb = bColOk && bK < kRem ? ld4(bPtr) : zero;
        }
#pragma unroll
        for (int p = 0; p < BK; p++) {
            const float4 a0 = ld4(&As[cur][p][4 * ty]);
            const float4 a1 = ld4(&As[cur][p][64 + 4 * ty]);
            const float4 b0 = ld4(&Bs[cur][p][4 * tx]);
            const float4 b1 = ld4(&Bs[cur][p][64 + 4 * tx]);
            const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
            const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
            for (int i = 0; i < 8; i++) {
#pragma unroll
                for (int j = 0; j < 8; j++) {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        // Buffer cur ^ 1 was last read in step t - 1, and every thread has passed the barrier that
        // ended that step, so it may be overwritten now; the barrier below publishes it for step t + 1
        // and also keeps step t + 1's writes (to buffer cur) behind this step's reads of it.
        if (more) {
            stage(cur ^ 1);
        }
        __syncthreads();
    }

    // Row i of acc is C row 4 ty + i (i < 4) or 64 + 4 ty + i - 4; columns j alike with tx.
#pragma unroll
    for (int i = 0; i < 8; i++) {
        const int r = (i < 4 ? 0 : 64) + 4 * ty + (i & 3);
        if (r < mRem) {
            float* cRow = C + coff + (size_t) (tile.row0 + r) * ldc + tile.col0;
#pragma unroll
            for (int h = 0; h < 2; h++) {
                const int c = 64 * h + 4 * tx;
                if (c < nRem) {
                    float4 v = make_float4(alpha * acc[i][4 * h + 0], alpha * acc[i][4 * h + 1],
                                           alpha * acc[i][4 * h + 2], alpha * acc[i][4 * h + 3]);
                    if (beta != 0.0f) {
                        const float4 old = ld4(cRow + c);
                        v.x += beta * old.x;
                        v.y += beta * old.y;
                        v.z += beta * old.z;
                        v.w += beta * old.w;
                    }
                    st4(cRow + c, v);
                }
            }
        }
    }
}

#define EMBER_GEMM_PARAMS(T)                                                                        \
    (int M, int N, int K, T alpha, const T* __restrict__ A, int aoff, int lda, const T* __restrict__ B, \
     int boff, int ldb, T beta, T* __restrict__ C, int coff, int ldc)
#define EMBER_GEMM_ARGS M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc

/* F32 steps 16 along k, F64 8: both tiles then take 4 KiB per operand. */
#define EMBER_GEMM_GENERAL(name, T, BK, TA, TB)                                    \
    extern "C" __global__ void __launch_bounds__(256) name EMBER_GEMM_PARAMS(T) { \
        gemm_general<T, BK, TA, TB>(EMBER_GEMM_ARGS);                              \
    }

EMBER_GEMM_GENERAL(ember_gemm_f32_nn, float, 16, false, false)
EMBER_GEMM_GENERAL(ember_gemm_f32_nt, float, 16, false, true)
EMBER_GEMM_GENERAL(ember_gemm_f32_tn, float, 16, true, false)
EMBER_GEMM_GENERAL(ember_gemm_f32_tt, float, 16, true, true)
EMBER_GEMM_GENERAL(ember_gemm_f64_nn, double, 8, false, false)
EMBER_GEMM_GENERAL(ember_gemm_f64_nt, double, 8, false, true)
EMBER_GEMM_GENERAL(ember_gemm_f64_tn, double, 8, true, false)
EMBER_GEMM_GENERAL(ember_gemm_f64_tt, double, 8, true, true)

/* Two blocks per multiprocessor: the compiler keeps to 128 registers a thread. */
#define EMBER_SGEMM_BIG(name, TA, TB)                                                  \
    extern "C" __global__ void __launch_bounds__(256, 2) name EMBER_GEMM_PARAMS(float) { \
        sgemm_big<TA, TB>(EMBER_GEMM_ARGS);                                            \
    }

EMBER_SGEMM_BIG(ember_sgemm_big_nn, false, false)
EMBER_SGEMM_BIG(ember_sgemm_big_nt, false, true)
EMBER_SGEMM_BIG(ember_sgemm_big_tn, true, false)
EMBER_SGEMM_BIG(ember_sgemm_big_tt, true, true)
