/*
 * A stand-in for libcublas with cuBLAS's C signatures (cublas_api.h), so that the FFM binding's
 * argument passing and the row-major to column-major mapping run on machines without CUDA. Its GEMMs
 * compute the column-major BLAS definition on HOST memory (the test passes host addresses) and reject
 * leading dimensions the way cuBLAS does; a NaN alpha makes it fail as a launch would. Not cuBLAS:
 * only the calling convention and the BLAS semantics are real.
 */
#include <stdlib.h>

#define MAGIC 0x0C0B1A5
#define INVALID_VALUE 7
#define EXECUTION_FAILED 13

typedef struct {
    int magic;
    int math_mode;
} fake_handle;

static int live_handles;
static int last_math_mode = -1;

int cublasCreate_v2(fake_handle **handle) {
    if (handle == NULL) {
        return INVALID_VALUE;
    }
    fake_handle *h = calloc(1, sizeof *h);
    h->magic = MAGIC;
    *handle = h;
    live_handles++;
    return 0;
}

int cublasDestroy_v2(fake_handle *handle) {
    if (handle == NULL || handle->magic != MAGIC) {
        return 1;
    }
    handle->magic = 0;
    free(handle);
    live_handles--;
    return 0;
}

/* the stream the handle's calls are enqueued on; the fake computes on the host at once */
int cublasSetStream_v2(fake_handle *handle, void *stream) {
    (void) stream;
    if (handle == NULL || handle->magic != MAGIC) {
        return 1;
    }
    return 0;
}

int cublasSetMathMode(fake_handle *handle, int mode) {
    if (handle == NULL || handle->magic != MAGIC) {
        return 1;
    }
    if (mode != 0 && mode != 1 && mode != 2 && mode != 3) {
        return INVALID_VALUE;
    }
    handle->math_mode = mode;
    last_math_mode = mode;
    return 0;
}

int cublasGetVersion_v2(fake_handle *handle, int *version) {
    if (version == NULL) {
        return INVALID_VALUE;
    }
    *version = 130002;
    return 0;
}

int cublasGetProperty(int type, int *value) {
    if (value == NULL || type < 0 || type > 2) {
        return INVALID_VALUE;
    }
    *value = type == 0 ? 13 : type == 1 ? 0 : 2;
    return 0;
}

const char *cublasGetStatusString(int status) {
    return status == INVALID_VALUE ? "an invalid numeric value was used as an argument" : "fake status";
}

#define MAX1(x) ((x) > 1 ? (x) : 1)

/* C = alpha op(A) op(B) + beta C, column-major; the BLAS reference definition. */
#define GEMM(T)                                                                                         \
    if (handle == NULL || handle->magic != MAGIC) {                                                    \
        return 1;                                                                                      \
    }                                                                                                  \
    if ((transa != 0 && transa != 1) || (transb != 0 && transb != 1) || m < 0 || n < 0 || k < 0       \
            || lda < MAX1(transa == 0 ? m : k) || ldb < MAX1(transb == 0 ? k : n) || ldc < MAX1(m)     \
            || alpha == NULL || beta == NULL) {                                                        \
        return INVALID_VALUE;                                                                          \
    }                                                                                                  \
    if (*alpha != *alpha) { /* a NaN alpha stands for a failing launch */                              \
        return EXECUTION_FAILED;                                                                       \
    }                                                                                                  \
    for (int j = 0; j < n; j++) {                                                                      \
        for (int i = 0; i < m; i++) {                                                                  \
            T sum = 0;                                                                                 \
            for (int l = 0; l < k; l++) {                                                              \
                T x = transa == 0 ? A[i + (long) l * lda] : A[l + (long) i * lda];                     \
                T y = transb == 0 ? B[l + (long) j * ldb] : B[j + (long) l * ldb];                     \
                sum += x * y;                                                                          \
            }                                                                                          \
            T *c = &C[i + (long) j * ldc];                                                             \
            *c = *alpha * sum + (*beta == 0 ? 0 : *beta * *c);                                         \
        }                                                                                              \
    }                                                                                                  \
    return 0;

int cublasSgemm_v2(fake_handle *handle, int transa, int transb, int m, int n, int k, const float *alpha,
                   const float *A, int lda, const float *B, int ldb, const float *beta, float *C, int ldc) {
    GEMM(float)
}

int cublasDgemm_v2(fake_handle *handle, int transa, int transb, int m, int n, int k, const double *alpha,
                   const double *A, int lda, const double *B, int ldb, const double *beta, double *C, int ldc) {
    GEMM(double)
}

/* Not cuBLAS: state for the test. */
int fake_live_handles(void) {
    return live_handles;
}

int fake_last_math_mode(void) {
    return last_math_mode;
}
