/*
 * Ember kernel dialect, OpenCL C flavour.
 *
 * Every Ember kernel source is written against these spellings only (no raw __kernel, get_global_id,
 * barrier(...) or __local), so that the CUDA flavour, ember_dialect_cuda.h, compiles the very same
 * files: it maps KERNEL to extern "C" __global__, GLOBAL and LOCAL to nothing, LOCAL_ARRAY to
 * __shared__, the id macros to blockIdx/threadIdx arithmetic and BARRIER() to __syncthreads().
 * Change a spelling here and there together: the CUDA build and its tests compile every file.
 *
 * The host compiles each program once per element type: -DREAL=float, or -DREAL=double -DEMBER_F64.
 *
 * Beyond this header the kernels use only C99 syntax (structs, switch, static inline functions) and
 * these type-generic math functions, which a CUDA flavour maps to its float/double spellings:
 * fabs exp log log1p sqrt tanh pow sinpi cospi, and the constants INFINITY and NAN.
 */
#ifdef EMBER_F64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
#endif

#define KERNEL __kernel
#define GLOBAL __global
#define LOCAL __local
#define LOCAL_ARRAY(type, name, size) __local type name[size]
#define DEVICE_FN static inline
#define UNROLL _Pragma("unroll")

#define GLOBAL_ID(d) ((int) get_global_id(d))
#define GLOBAL_SIZE(d) ((int) get_global_size(d))
#define LOCAL_ID(d) ((int) get_local_id(d))
#define LOCAL_SIZE(d) ((int) get_local_size(d))
#define GROUP_ID(d) ((int) get_group_id(d))
#define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)

/* High 32 bits of a 32 x 32-bit unsigned product (Philox). */
#define MULHI_U32(a, b) mul_hi((uint) (a), (uint) (b))

typedef uint u32;
typedef REAL real;

/* A literal or expression converted to the program's element type. */
#define R(x) ((real) (x))

/* Loop over [0, n) spread across the whole launch, whatever its size (CUDA's grid-stride loop). */
#define GRID_STRIDE(i, n) for (int i = GLOBAL_ID(0); i < (n); i += GLOBAL_SIZE(0))
