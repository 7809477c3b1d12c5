/*
 * C = alpha op(A) op(B) + beta C, row-major with leading dimensions and element offsets.
 *
 * Tiled: a work-group computes a TS_M x TS_N block of C, staging TS_M x TS_K of op(A) and TS_K x TS_N
 * of op(B) in local memory per step along k. Register blocking: each work-item accumulates WPT_M x
 * WPT_N outputs, rows tm + w * RTS_M and columns tn + w * RTS_N (interleaved, so neighbouring
 * work-items touch neighbouring addresses). The host picks the tile sizes from the device's limits
 * and passes them as -D options; tiles past the matrix edges are zero-padded, and stores are guarded,
 * so every m, n, k works. beta == 0 never reads C.
 */

#define RTS_M (TS_M / WPT_M)
#define RTS_N (TS_N / WPT_N)
#define THREADS (RTS_M * RTS_N)
#define BS_STRIDE (TS_N + GEMM_PAD)

/*
 * The body shared by four kernels; transA and transB are literals there, so their branches fold away.
 * The tiles are declared in the kernels: OpenCL allows local arrays only at kernel scope.
 */
DEVICE_FN void gemm_tile(const int transA, const int transB, int M, int N, int K, real alpha,
                         GLOBAL const real* A, int aoff, int lda, GLOBAL const real* B, int boff, int ldb,
                         real beta, GLOBAL real* C, int coff, int ldc, LOCAL real* As, LOCAL real* Bs) {
    int tn = LOCAL_ID(0);
    int tm = LOCAL_ID(1);
    int tid = tm * RTS_N + tn;
    int row0 = GROUP_ID(1) * TS_M;
    int col0 = GROUP_ID(0) * TS_N;

    real acc[WPT_M][WPT_N];
    UNROLL for (int wm = 0; wm < WPT_M; wm++) {
        UNROLL for (int wn = 0; wn < WPT_N; wn++) {
            acc[wm][wn] = R(0);
        }
    }

    for (int p0 = 0; p0 < K; p0 += TS_K) {
        /* Loads walk memory contiguously: along k for plain A, along m for A^T (and likewise for B). */
        for (int e = tid; e < TS_M * TS_K; e += THREADS) {
            int i = transA ? e % TS_M : e / TS_K;
            int p = transA ? e / TS_M : e % TS_K;
            int gi = row0 + i;
            int gp = p0 + p;
            real v = R(0);
            if (gi < M && gp < K) {
                v = transA ? A[aoff + gp * lda + gi] : A[aoff + gi * lda + gp];
            }
            As[p * TS_M + i] = v;
        }
        for (int e = tid; e < TS_K * TS_N; e += THREADS) {
            int j = transB ? e / TS_K : e % TS_N;
            int p = transB ? e % TS_K : e / TS_N;
            int gj = col0 + j;
            int gp = p0 + p;
            real v = R(0);
            if (gj < N && gp < K) {
                v = transB ? B[boff + gj * ldb + gp] : B[boff + gp * ldb + gj];
            }
            Bs[p * BS_STRIDE + j] = v;
        }
        BARRIER();
        UNROLL for (int p = 0; p < TS_K; p++) {
            real ar[WPT_M];
            real br[WPT_N];
            UNROLL for (int wm = 0; wm < WPT_M; wm++) {
                ar[wm] = As[p * TS_M + tm + wm * RTS_M];
            }
            UNROLL for (int wn = 0; wn < WPT_N; wn++) {
                br[wn] = Bs[p * BS_STRIDE + tn + wn * RTS_N];
            }
            UNROLL for (int wm = 0; wm < WPT_M; wm++) {
                UNROLL for (int wn = 0; wn < WPT_N; wn++) {
                    acc[wm][wn] += ar[wm] * br[wn];
                }
            }
        }
        BARRIER();
    }

    UNROLL for (int wm = 0; wm < WPT_M; wm++) {
        int gi = row0 + tm + wm * RTS_M;
        UNROLL for (int wn = 0; wn < WPT_N; wn++) {
            int gj = col0 + tn + wn * RTS_N;
            if (gi < M && gj < N) {
                int at = coff + gi * ldc + gj;
                real r = alpha * acc[wm][wn];
                if (beta != R(0)) {
                    r += beta * C[at];
                }
                C[at] = r;
            }
        }
    }
}

#define GEMM_KERNEL(name, transA, transB) \
    KERNEL void name(int M, int N, int K, real alpha, GLOBAL const real* A, int aoff, int lda, \
                     GLOBAL const real* B, int boff, int ldb, real beta, GLOBAL real* C, int coff, int ldc) { \
        LOCAL_ARRAY(real, As, TS_K * TS_M);      /* As[p * TS_M + i] = op(A)(row0 + i, p0 + p) */ \
        LOCAL_ARRAY(real, Bs, TS_K * BS_STRIDE); /* Bs[p * BS_STRIDE + j] = op(B)(p0 + p, col0 + j) */ \
        gemm_tile(transA, transB, M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc, As, Bs); \
    }

GEMM_KERNEL(ember_gemm_nn, 0, 0)
GEMM_KERNEL(ember_gemm_nt, 0, 1)
GEMM_KERNEL(ember_gemm_tn, 1, 0)
GEMM_KERNEL(ember_gemm_tt, 1, 1)
