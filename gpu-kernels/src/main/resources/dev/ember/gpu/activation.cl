/* Point-wise activations and their gradients. Codes match OpenClOps on the host. */

#define A_RELU 0
#define A_LEAKY_RELU 1
#define A_SIGMOID 2
#define A_TANH 3

DEVICE_FN real sigmoid(real x) {
    /* never exponentiates a large positive number, so no overflow for logits of any size */
    if (x >= R(0)) {
        return R(1) / (R(1) + exp(-x));
    }
    real e = exp(x);
    return e / (R(1) + e);
}

DEVICE_FN real activate(int act, real alpha, real v) {
    switch (act) {
        case A_RELU: return r_max(v, R(0)); /* NaN stays NaN */
        case A_LEAKY_RELU: return v > R(0) ? v : alpha * v;
        case A_SIGMOID: return sigmoid(v);
        default: return tanh(v);
    }
}

KERNEL void ember_activation(int act, real alpha, GLOBAL const real* x, int xoff, GLOBAL real* y, int yoff, int n) {
    GRID_STRIDE(i, n) {
        y[yoff + i] = activate(act, alpha, x[xoff + i]);
    }
}

/* y[r, c] = act(x[r, c] + bias[c]) over a row-major rows x cols matrix (n = rows * cols); y may be x. */
KERNEL void ember_bias_activation(int act, real alpha, GLOBAL const real* x, int xoff, GLOBAL const real* bias,
                                  int boff, GLOBAL real* y, int yoff, int n, int cols) {
    GRID_STRIDE(i, n) {
        y[yoff + i] = activate(act, alpha, x[xoff + i] + bias[boff + i % cols]);
    }
}

/* dx = dy * act'(x); sigmoid and tanh use the forward output y, the ReLUs the input x. */
KERNEL void ember_activation_backward(int act, real alpha, GLOBAL const real* x, int xoff,
                                      GLOBAL const real* y, int yoff, GLOBAL const real* dy, int dyoff,
                                      GLOBAL real* dx, int dxoff, int n) {
    GRID_STRIDE(i, n) {
        real g = dy[dyoff + i];
        real r;
        switch (act) {
            case A_RELU: r = g * (x[xoff + i] > R(0) ? R(1) : R(0)); break; /* NaN/Inf in dy stay visible */
            case A_LEAKY_RELU: r = x[xoff + i] > R(0) ? g : alpha * g; break;
            case A_SIGMOID: {
                real s = y[yoff + i];
                r = g * s * (R(1) - s);
                break;
            }
            default: {
                real t = y[yoff + i];
                r = g * ((R(1) - t) * (R(1) + t)); /* 1 - t*t would lose digits where |t| -> 1 */
                break;
            }
        }
        dx[dxoff + i] = r;
    }
}
