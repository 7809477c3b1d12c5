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

KERNEL void ember_activation(int act, real alpha, GLOBAL const real* x, int xoff, GLOBAL real* y, int yoff, int n) {
    GRID_STRIDE(i, n) {
        real v = x[xoff + i];
        real r;
        switch (act) {
            case A_RELU: r = v > R(0) ? v : R(0); break;
            case A_LEAKY_RELU: r = v > R(0) ? v : alpha * v; break;
            case A_SIGMOID: r = sigmoid(v); break;
            default: r = tanh(v); break;
        }
        y[yoff + i] = r;
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
            case A_RELU: r = x[xoff + i] > R(0) ? g : R(0); break;
            case A_LEAKY_RELU: r = x[xoff + i] > R(0) ? g : alpha * g; break;
            case A_SIGMOID: {
                real s = y[yoff + i];
                r = g * s * (R(1) - s);
                break;
            }
            default: {
                real t = y[yoff + i];
                r = g * (R(1) - t * t);
                break;
            }
        }
        dx[dxoff + i] = r;
    }
}
