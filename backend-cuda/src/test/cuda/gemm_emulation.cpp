/*
 * Runs Ember's GEMM kernels (src/main/cuda/gemm.cu, gemm_tf32.cu) on the CPU, to check their index
 * arithmetic where no GPU is at hand: every CUDA thread of a block is a std::thread, __syncthreads() a
 * std::barrier, __shared__ a static (one block runs at a time), cp.async a plain copy and wmma a
 * functional stand-in whose fragments hold whole tiles. Timing, warps and memory ordering are not
 * emulated: this checks which elements each kernel reads and writes, not races or speed.
 *
 * The data are small integers, so every product and sum is exact in F32, TF32 and F64 and results are
 * compared for equality. Matrix padding (lda past the row, k past K) holds NaN, so a read of it shows in
 * the result; C's padding holds a sentinel that must survive; with beta == 0 C starts as NaN, which must
 * not leak. Built with AddressSanitizer, so a read or write past a buffer fails the run.
 *
 * Run: src/test/cuda/run-gemm-emulation.sh (from backend-cuda). Exit status 0 when every case passes.
 */
#include <barrier>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

// ---------------------------------------------------------------- the CUDA spellings the kernels use
#define EMBER_HOST_EMULATION 1
#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define __align__(n) __attribute__((aligned(n)))

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};
thread_local dim3 threadIdx, blockIdx;
dim3 blockDim, gridDim;

struct alignas(16) float4 {
    float x, y, z, w;
};
inline float4 make_float4(float x, float y, float z, float w) {
    return float4{x, y, z, w};
}

static std::barrier<>* block_barrier;
inline void __syncthreads() {
    block_barrier->arrive_and_wait();
}
// Every __syncwarp in the kernels is reached by all threads of the block, so a block barrier serves.
inline void __syncwarp() {
    block_barrier->arrive_and_wait();
}

// gemm_tf32.cu's dynamic shared memory and cp.async.
alignas(128) static float ember_tf32_smem[73728 / 4];
inline void cp_async16(float* dst, const float* src, bool valid) {
    if (valid) {
        std::memcpy(dst, src, 16);
    } else {
        std::memset(dst, 0, 16);
    }
}
inline void cp_async_commit() {
}
inline void cp_async_wait_all() {
}

// nvcuda::wmma for m16n16k8 TF32: each thread holds the whole fragment (as a logical tile, row-major).
namespace nvcuda {
namespace wmma {
struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
namespace precision {
struct tf32 {};
}
enum layout_t { mem_row_major, mem_col_major };

template <class Use, int M, int N, int K, class T, class Layout = void>
struct fragment;
template <class L>
struct fragment<matrix_a, 16, 16, 8, precision::tf32, L> {
    static constexpr int num_elements = 16 * 8;  // (i, k) at x[i * 8 + k]
    float x[num_elements];
};
template <class L>
struct fragment<matrix_b, 16, 16, 8, precision::tf32, L> {
    static constexpr int num_elements = 8 * 16;  // (k, j) at x[k * 16 + j]
    float x[num_elements];
};
template <>
struct fragment<accumulator, 16, 16, 8, float, void> {
    static constexpr int num_elements = 16 * 16;  // (i, j) at x[i * 16 + j]
    float x[num_elements];
};

template <class L>
inline void load_matrix_sync(fragment<matrix_a, 16, 16, 8, precision::tf32, L>& f, const float* p, unsigned ldm) {
    for (int i = 0; i < 16; i++) {
        for (int k = 0; k < 8; k++) {
            f.x[i * 8 + k] = std::is_same_v<L, row_major> ? p[i * ldm + k] : p[i + k * ldm];
        }
    }
}
template <class L>
inline void load_matrix_sync(fragment<matrix_b, 16, 16, 8, precision::tf32, L>& f, const float* p, unsigned ldm) {
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 16; j++) {
            f.x[k * 16 + j] = std::is_same_v<L, row_major> ? p[k * ldm + j] : p[k + j * ldm];
        }
    }
}
inline void fill_fragment(fragment<accumulator, 16, 16, 8, float>& f, float v) {
    for (float& e : f.x) {
        e = v;
    }
}
template <class LA, class LB>
inline void mma_sync(fragment<accumulator, 16, 16, 8, float>& d,
                     const fragment<matrix_a, 16, 16, 8, precision::tf32, LA>& a,
                     const fragment<matrix_b, 16, 16, 8, precision::tf32, LB>& b,
                     const fragment<accumulator, 16, 16, 8, float>& c) {
    float r[256];
    for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 16; j++) {
            float s = c.x[i * 16 + j];
            for (int k = 0; k < 8; k++) {
                s += a.x[i * 8 + k] * b.x[k * 16 + j];
            }
            r[i * 16 + j] = s;
        }
    }
    std::memcpy(d.x, r, sizeof r);
}
// Lane 0 alone writes (all lanes hold the same tile); the __syncwarp after it publishes the writes.
inline void store_matrix_sync(float* p, const fragment<accumulator, 16, 16, 8, float>& f, unsigned ldm, layout_t l) {
    if (threadIdx.x % 32 != 0) {
        return;
    }
    for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 16; j++) {
            (l == mem_row_major ? p[i * ldm + j] : p[i + j * ldm]) = f.x[i * 16 + j];
        }
    }
}
/* Round to nearest, ties away from zero, keeping 10 mantissa bits (cvt.rna.tf32.f32). */
inline float __float_to_tf32(float v) {
    if (!std::isfinite(v)) {
        return v;
    }
    uint32_t u;
    std::memcpy(&u, &v, 4);
    u = (u + 0x1000u) & 0xffffe000u;
    std::memcpy(&v, &u, 4);
    return v;
}
}  // namespace wmma
}  // namespace nvcuda

#include "../../main/cuda/gemm.cu"
#include "../../main/cuda/gemm_tf32.cu"

// ---------------------------------------------------------------- launching and checking

/* Runs grid blocks of `threads` threads, one block at a time, each thread calling body. */
static void launch(unsigned grid, unsigned threads, const std::function<void()>& body) {
    gridDim = dim3{grid, 1, 1};
    blockDim = dim3{threads, 1, 1};
    for (unsigned b = 0; b < grid; b++) {
        std::fill(std::begin(ember_tf32_smem), std::end(ember_tf32_smem), NAN);  // unwritten reads show
        std::barrier<> bar((std::ptrdiff_t) threads);
        block_barrier = &bar;
        std::vector<std::thread> team;
        team.reserve(threads);
        for (unsigned t = 0; t < threads; t++) {
            team.emplace_back([&body, b, t] {
                threadIdx = dim3{t, 0, 0};
                blockIdx = dim3{b, 0, 0};
                body();
            });
        }
        for (auto& th : team) {
            th.join();
        }
    }
}

/* A buffer of exactly n elements, 64-byte aligned, so that AddressSanitizer sees any access past it. */
template <typename T>
struct Buffer {
    T* data;
    size_t n;
    explicit Buffer(size_t n_) : n(n_) {
        void* p = nullptr;
        if (posix_memalign(&p, 64, (n_ == 0 ? 1 : n_) * sizeof(T)) != 0) {
            std::abort();
        }
        data = static_cast<T*>(p);
    }
    ~Buffer() {
        std::free(data);
    }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
};

enum class Family { GENERAL, BIG, TF32 };

struct Case {
    Family family;
    bool ta, tb;
    int M, N, K;
    int aoff, lda, boff, ldb, coff, ldc;
    double alpha, beta;
};

using KernelF32 = void (*)(int, int, int, float, const float*, int, int, const float*, int, int, float, float*, int, int);
using KernelF64 = void (*)(int, int, int, double, const double*, int, int, const double*, int, int, double, double*, int, int);

static KernelF32 kernel_f32(Family f, bool ta, bool tb) {
    static const KernelF32 general[4] = {ember_gemm_f32_nn, ember_gemm_f32_nt, ember_gemm_f32_tn, ember_gemm_f32_tt};
    static const KernelF32 big[4] = {ember_sgemm_big_nn, ember_sgemm_big_nt, ember_sgemm_big_tn, ember_sgemm_big_tt};
    static const KernelF32 tf[4] = {ember_sgemm_tf32_nn, ember_sgemm_tf32_nt, ember_sgemm_tf32_tn, ember_sgemm_tf32_tt};
    const int i = (ta ? 2 : 0) + (tb ? 1 : 0);
    return f == Family::GENERAL ? general[i] : f == Family::BIG ? big[i] : tf[i];
}

static KernelF64 kernel_f64(bool ta, bool tb) {
    static const KernelF64 general[4] = {ember_gemm_f64_nn, ember_gemm_f64_nt, ember_gemm_f64_tn, ember_gemm_f64_tt};
    return general[(ta ? 2 : 0) + (tb ? 1 : 0)];
}

static const double SENTINEL = 12345.0;

template <typename T>
static bool run_case(const Case& c, std::mt19937& rng) {
    // Stored shapes: A is M x K (K x M when transposed), B is K x N (N x K when transposed).
    const int aRows = c.ta ? c.K : c.M, aCols = c.ta ? c.M : c.K;
    const int bRows = c.tb ? c.N : c.K, bCols = c.tb ? c.K : c.N;
    const size_t aLen = (size_t) c.aoff + (aRows == 0 ? 0 : (size_t) (aRows - 1) * c.lda + aCols);
    const size_t bLen = (size_t) c.boff + (bRows == 0 ? 0 : (size_t) (bRows - 1) * c.ldb + bCols);
    const size_t cLen = (size_t) c.coff + (size_t) (c.M - 1) * c.ldc + c.N;
    Buffer<T> A(aLen), B(bLen), C(cLen);
    std::uniform_int_distribution<int> small(-3, 3);
    for (size_t i = 0; i < aLen; i++) A.data[i] = NAN;
    for (size_t i = 0; i < bLen; i++) B.data[i] = NAN;
    for (size_t i = 0; i < cLen; i++) C.data[i] = (T) SENTINEL;
    auto a = [&](int i, int p) -> T& { return c.ta ? A.data[c.aoff + (size_t) p * c.lda + i] : A.data[c.aoff + (size_t) i * c.lda + p]; };
    auto b = [&](int p, int j) -> T& { return c.tb ? B.data[c.boff + (size_t) j * c.ldb + p] : B.data[c.boff + (size_t) p * c.ldb + j]; };
    auto cc = [&](int i, int j) -> T& { return C.data[c.coff + (size_t) i * c.ldc + j]; };
    for (int i = 0; i < c.M; i++) for (int p = 0; p < c.K; p++) a(i, p) = (T) small(rng);
    for (int p = 0; p < c.K; p++) for (int j = 0; j < c.N; j++) b(p, j) = (T) small(rng);
    std::vector<double> expect((size_t) c.M * c.N);
    for (int i = 0; i < c.M; i++) {
        for (int j = 0; j < c.N; j++) {
            cc(i, j) = c.beta == 0 ? (T) NAN : (T) small(rng);
            double s = 0;
            for (int p = 0; p < c.K; p++) s += (double) a(i, p) * (double) b(p, j);
            expect[(size_t) i * c.N + j] = c.alpha * s + (c.beta == 0 ? 0.0 : c.beta * (double) cc(i, j));
        }
    }

    const int tile = c.family == Family::GENERAL ? 64 : 128;
    const unsigned grid = (unsigned) (ember_gemm::tiles(c.M, tile) * ember_gemm::tiles(c.N, tile));
    launch(grid, 256, [&] {
        if constexpr (sizeof(T) == 4) {
            kernel_f32(c.family, c.ta, c.tb)(c.M, c.N, c.K, (float) c.alpha, A.data, c.aoff, c.lda, B.data, c.boff,
                                             c.ldb, (float) c.beta, C.data, c.coff, c.ldc);
        } else {
            kernel_f64(c.ta, c.tb)(c.M, c.N, c.K, c.alpha, A.data, c.aoff, c.lda, B.data, c.boff, c.ldb, c.beta,
                                   C.data, c.coff, c.ldc);
        }
    });

    int bad = 0;
    for (size_t e = 0; e < cLen; e++) {
        const bool inOffset = e < (size_t) c.coff;
        const size_t rel = e - c.coff;
        const int i = inOffset ? -1 : (int) (rel / c.ldc), j = inOffset ? -1 : (int) (rel % c.ldc);
        const bool inC = !inOffset && i < c.M && j < c.N;
        const double want = inC ? expect[(size_t) i * c.N + j] : SENTINEL;
        const double got = (double) C.data[e];
        if (!(got == want)) {
            if (bad++ < 5) {
                std::printf("    element %zu (row %d, col %d): got %g, want %g\n", e, i, j, got, want);
            }
        }
    }
    const char* fam = c.family == Family::GENERAL ? (sizeof(T) == 4 ? "gemm_f32" : "gemm_f64")
                    : c.family == Family::BIG ? "sgemm_big" : "sgemm_tf32";
    std::printf("%-4s %s_%c%c M=%d N=%d K=%d aoff=%d lda=%d boff=%d ldb=%d coff=%d ldc=%d alpha=%g beta=%g: %s\n",
                bad ? "FAIL" : "ok", fam, c.ta ? 't' : 'n', c.tb ? 't' : 'n', c.M, c.N, c.K, c.aoff, c.lda, c.boff,
                c.ldb, c.coff, c.ldc, c.alpha, c.beta, bad ? (std::to_string(bad) + " wrong").c_str() : "exact");
    return bad == 0;
}

/* A case with the given shape; pad extra columns on every leading dimension, offsets as given. */
static Case make(Family f, bool ta, bool tb, int M, int N, int K, int off, int pad, double alpha, double beta) {
    Case c{f, ta, tb, M, N, K, off, 0, off * 2, 0, off * 3, 0, alpha, beta};
    c.lda = (ta ? M : K) + pad;
    c.ldb = (tb ? K : N) + pad;
    c.ldc = N + pad;
    if (c.lda == 0) c.lda = 1;
    if (c.ldb == 0) c.ldb = 1;
    return c;
}

int main(int argc, char** argv) {
    const std::string only = argc > 1 ? argv[1] : "";
    std::mt19937 rng(42);
    int failed = 0, run = 0;
    struct Shape {
        int M, N, K;
    };
    // Scalars: plain, beta == 0 over a NaN C, and both scaled.
    const double scalars[3][2] = {{1, 0}, {2, -1}, {0.5, 0.5}};

    if (only.empty() || only == "general") {
        const Shape shapes[] = {{1, 1, 1}, {1, 1, 0}, {3, 5, 7}, {64, 64, 16}, {65, 63, 17}, {127, 129, 40}, {200, 70, 33}};
        for (int t = 0; t < 4; t++) {
            for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
                const Shape& sh = shapes[s];
                const double* ab = scalars[s % 3];
                const int off = (int) (s % 3), pad = (int) (s % 2) * 3;
                Case c = make(Family::GENERAL, t & 2, t & 1, sh.M, sh.N, sh.K, off, pad, ab[0], ab[1]);
                run++;
                failed += !run_case<float>(c, rng);
                run++;
                failed += !run_case<double>(c, rng);
            }
        }
    }
    if (only.empty() || only == "big" || only == "tf32") {
        // Multiples of 4 (the fast kernels' precondition): exact tiles, ragged edges in m, n and k.
        const Shape shapes[] = {{4, 4, 4}, {128, 128, 8}, {132, 260, 12}, {256, 128, 36}, {260, 132, 100}, {128, 256, 64}};
        for (int fam = 0; fam < 2; fam++) {
            const Family f = fam == 0 ? Family::BIG : Family::TF32;
            if (!only.empty() && only != (fam == 0 ? "big" : "tf32")) continue;
            for (int t = 0; t < 4; t++) {
                for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
                    const Shape& sh = shapes[s];
                    for (int k = 0; k < 3; k++) {
                        if (k > 0 && (s % 2) == 0) continue;  // all scalar pairs on every other shape
                        const int off = (int) ((s + k) % 3) * 4, pad = (int) ((s + k) % 2) * 4;
                        Case c = make(f, t & 2, t & 1, sh.M, sh.N, sh.K, off, pad, scalars[k][0], scalars[k][1]);
                        run++;
                        failed += !run_case<float>(c, rng);
                    }
                }
            }
        }
    }
    std::printf("%d of %d cases passed\n", run - failed, run);
    return failed == 0 ? 0 : 1;
}
