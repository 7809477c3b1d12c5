/* Fill, copies and element-wise unary/binary operations. Op codes match OpenClOps on the host. */

KERNEL void ember_fill(GLOBAL real* out, int off, int n, real value) {
    GRID_STRIDE(i, n) {
        out[off + i] = value;
    }
}

KERNEL void ember_copy(GLOBAL const real* src, int soff, GLOBAL real* dst, int doff, int n) {
    GRID_STRIDE(i, n) {
        dst[doff + i] = src[soff + i];
    }
}

/*
 * Gathers a strided view of rank <= 6 into dense row-major order. The host drops unit axes, merges
 * contiguous ones and left-pads to six axes (extent 1, stride 0); higher ranks it splits into calls.
 */
KERNEL void ember_copy_strided(GLOBAL const real* src, int soff, GLOBAL real* dst, int doff, int n,
                               int d0, int d1, int d2, int d3, int d4, int d5,
                               int s0, int s1, int s2, int s3, int s4, int s5) {
    GRID_STRIDE(i, n) {
        int r = i;
        int at = soff;
        at += (r % d5) * s5; r /= d5;
        at += (r % d4) * s4; r /= d4;
        at += (r % d3) * s3; r /= d3;
        at += (r % d2) * s2; r /= d2;
        at += (r % d1) * s1; r /= d1;
        at += r * s0;
        dst[doff + i] = src[at];
    }
}

#define U_NEG 0
#define U_ABS 1
#define U_EXP 2
#define U_LOG 3
#define U_SQRT 4
#define U_RSQRT 5
#define U_SQUARE 6
#define U_RECIPROCAL 7
#define U_SIGN 8
#define U_ADD_SCALAR 9
#define U_MUL_SCALAR 10
#define U_POW_SCALAR 11
#define U_MIN_SCALAR 12
#define U_MAX_SCALAR 13
#define U_TANH 14

DEVICE_FN real unary_op(int op, real v, real p) {
    switch (op) {
        case U_NEG: return -v;
        case U_ABS: return fabs(v);
        case U_EXP: return exp(v);
        case U_LOG: return log(v);
        case U_SQRT: return sqrt(v);
        case U_RSQRT: return R(1) / sqrt(v);
        case U_SQUARE: return v * v;
        case U_RECIPROCAL: return R(1) / v;
        case U_SIGN: return v > R(0) ? R(1) : v < R(0) ? R(-1) : v; /* keeps 0, -0 and NaN like Math.signum */
        case U_ADD_SCALAR: return v + p;
        case U_MUL_SCALAR: return v * p;
        case U_POW_SCALAR: return pow(v, p);
        case U_MIN_SCALAR: return r_min(v, p);
        case U_MAX_SCALAR: return r_max(v, p);
        case U_TANH: return tanh(v);
        default: return v;
    }
}

/* out may alias x: each work-item reads its element before writing it. */
KERNEL void ember_unary(int op, real p, GLOBAL const real* x, int xoff, GLOBAL real* out, int ooff, int n) {
    GRID_STRIDE(i, n) {
        out[ooff + i] = unary_op(op, x[xoff + i], p);
    }
}

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_MAX 4
#define B_MIN 5
#define B_GREATER 6

DEVICE_FN real binary_op(int op, real a, real b) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return a / b;
        case B_MAX: return r_max(a, b);
        case B_MIN: return r_min(a, b);
        case B_GREATER: return a > b ? R(1) : R(0);
        default: return a;
    }
}

/* A rows x cols grid; operands address element (i, j) through their strides (0 broadcasts). */
KERNEL void ember_binary(int op, int rows, int cols,
                         GLOBAL const real* a, int aoff, int ars, int acs,
                         GLOBAL const real* b, int boff, int brs, int bcs,
                         GLOBAL real* out, int ooff) {
    int n = rows * cols;
    GRID_STRIDE(t, n) {
        int i = t / cols;
        int j = t - i * cols;
        out[ooff + t] = binary_op(op, a[aoff + i * ars + j * acs], b[boff + i * brs + j * bcs]);
    }
}
