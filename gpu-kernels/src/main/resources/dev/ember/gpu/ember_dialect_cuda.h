/*
 * Ember kernel dialect, CUDA flavour: ember_dialect.h's spellings for CUDA C++, so that nvcc (the
 * static kernels, at build time) and NVRTC (fused expressions, at run time) compile the very files
 * the OpenCL backend runs. Kernels keep C names (extern "C") so the host finds them by name in the PTX.
 *
 * The host compiles each program once per element type: -DREAL=float, or -DREAL=double -DEMBER_F64.
 * CUDA C++ overloads the math functions the kernels call (exp, log, ... on float and double), so
 * the type-generic spellings of the OpenCL flavour work unchanged.
 */
#define KERNEL extern "C" __global__
#define GLOBAL
#define LOCAL
#define LOCAL_ARRAY(type, name, size) __shared__ type name[size]
#define DEVICE_FN static __device__ __forceinline__
#define UNROLL _Pragma("unroll")

template <typename V> static __device__ __forceinline__ int ember_dim(V v, int d) {  /* uint3 or dim3 */
    return d == 0 ? (int) v.x : d == 1 ? (int) v.y : (int) v.z;
}

/* OpenCL's work-item functions: a launch is gridDim blocks of blockDim threads. */
#define LOCAL_ID(d) ember_dim(threadIdx, d)
#define LOCAL_SIZE(d) ember_dim(blockDim, d)
#define GROUP_ID(d) ember_dim(blockIdx, d)
#define GLOBAL_ID(d) (GROUP_ID(d) * LOCAL_SIZE(d) + LOCAL_ID(d))
#define GLOBAL_SIZE(d) (ember_dim(gridDim, d) * LOCAL_SIZE(d))
#define BARRIER() __syncthreads()

/* High 32 bits of a 32 x 32-bit unsigned product (Philox). */
#define MULHI_U32(a, b) __umulhi((unsigned int) (a), (unsigned int) (b))

typedef unsigned int uint;
typedef unsigned int u32;
typedef REAL real;

/* A literal or expression converted to the program's element type. */
#define R(x) ((real) (x))

/* Loop over [0, n) spread across the whole launch, whatever its size (CUDA's grid-stride loop). */
#define GRID_STRIDE(i, n) for (int i = GLOBAL_ID(0); i < (n); i += GLOBAL_SIZE(0))

/* NVRTC compiles without the host's <math.h>: the C99 constants from their bit patterns. */
#ifndef INFINITY
#define INFINITY __int_as_float(0x7f800000)
#endif
#ifndef NAN
#define NAN __int_as_float(0x7fffffff)
#endif
