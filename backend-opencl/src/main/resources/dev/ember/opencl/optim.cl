/* Fused, in-place optimiser updates (formulas: dev.ember.core.spi.Backend). */

KERNEL void ember_sgd(GLOBAL real* p, int poff, GLOBAL const real* g, int goff, int n, real lr) {
    GRID_STRIDE(i, n) {
        p[poff + i] -= lr * g[goff + i];
    }
}

KERNEL void ember_momentum(GLOBAL real* p, int poff, GLOBAL const real* g, int goff, GLOBAL real* v, int voff,
                           int n, real lr, real beta) {
    GRID_STRIDE(i, n) {
        real vel = beta * v[voff + i] + (R(1) - beta) * g[goff + i];
        v[voff + i] = vel;
        p[poff + i] -= lr * vel;
    }
}

KERNEL void ember_rmsprop(GLOBAL real* p, int poff, GLOBAL const real* g, int goff, GLOBAL real* s, int soff,
                          int n, real lr, real beta, real eps) {
    GRID_STRIDE(i, n) {
        real grad = g[goff + i];
        real ms = beta * s[soff + i] + (R(1) - beta) * grad * grad;
        s[soff + i] = ms;
        p[poff + i] -= lr * grad / (sqrt(ms) + eps);
    }
}

/* bc1 = 1 - beta1^t and bc2 = 1 - beta2^t come from the host, computed in double. */
KERNEL void ember_adam(GLOBAL real* p, int poff, GLOBAL const real* g, int goff, GLOBAL real* m, int moff,
                       GLOBAL real* v, int voff, int n, real lr, real beta1, real beta2, real eps,
                       real bc1, real bc2, real weightDecay) {
    GRID_STRIDE(i, n) {
        real grad = g[goff + i];
        real mi = beta1 * m[moff + i] + (R(1) - beta1) * grad;
        real vi = beta2 * v[voff + i] + (R(1) - beta2) * grad * grad;
        m[moff + i] = mi;
        v[voff + i] = vi;
        real old = p[poff + i];
        p[poff + i] = old - lr * (mi / bc1) / (sqrt(vi / bc2) + eps) - lr * weightDecay * old;
    }
}
