/*
 * The kernels the CUDA backend shares with the OpenCL one: gpu-kernels' sources, compiled through the
 * dialect's CUDA flavour. build-ptx.sh compiles this file twice, -DREAL=float -DEMBER_WG=256 into
 * ember_f32.ptx and -DREAL=double -DEMBER_F64 -DEMBER_WG=256 into ember_f64.ptx; the F32 <-> F64 casts
 * are built once, into the F64 module. GEMM has its own CUDA kernels (gemm.cu, gemm_tf32.cu), so
 * gemm.cl is not included.
 */
#include "ember_dialect_cuda.h"

#include "common.cl"
#include "elementwise.cl"
#include "activation.cl"
#include "reduce.cl"
#include "softmax.cl"
#include "batchnorm.cl"
#include "random.cl"
#include "optim.cl"
#ifdef EMBER_F64
#include "cast.cl"
#endif
