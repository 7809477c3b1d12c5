/* F32 <-> F64 conversion; built only for devices with cl_khr_fp64 (compiled with -DREAL=double -DEMBER_F64). */

KERNEL void ember_cast_f32_to_f64(GLOBAL const float* src, int soff, GLOBAL double* dst, int doff, int n) {
    GRID_STRIDE(i, n) {
        dst[doff + i] = (double) src[soff + i];
    }
}

KERNEL void ember_cast_f64_to_f32(GLOBAL const double* src, int soff, GLOBAL float* dst, int doff, int n) {
    GRID_STRIDE(i, n) {
        dst[doff + i] = (float) src[soff + i];
    }
}
