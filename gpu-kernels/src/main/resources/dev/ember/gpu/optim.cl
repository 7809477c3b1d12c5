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

/* One element's Adam step: bc1 = 1 - beta1^t and bc2 = 1 - beta2^t come from the host, computed in double. */
DEVICE_FN void adam_at(GLOBAL real* p, GLOBAL const real* g, GLOBAL real* m, GLOBAL real* v, real lr, real beta1,
                    real beta2, real eps, real bc1, real bc2, real weightDecay) {
    real grad = *g;
    real mi = beta1 * *m + (R(1) - beta1) * grad;
    real vi = beta2 * *v + (R(1) - beta2) * grad * grad;
    *m = mi;
    *v = vi;
    real old = *p;
    *p = old - lr * (mi / bc1) / (sqrt(vi / bc2) + eps) - lr * weightDecay * old;
}

KERNEL void ember_adam(GLOBAL real* p, int poff, GLOBAL const real* g, int goff, GLOBAL real* m, int moff,
                       GLOBAL real* v, int voff, int n, real lr, real beta1, real beta2, real eps,
                       real bc1, real bc2, real weightDecay) {
    GRID_STRIDE(i, n) {
        adam_at(p + poff + i, g + goff + i, m + moff + i, v + voff + i, lr, beta1, beta2, eps, bc1, bc2, weightDecay);
    }
}

/* Adam on up to four tensors in one launch (a traced step's update): their elements are numbered one after
   another, n0 + n1 + n2 + n3 in all; an unused slot has n = 0. */
KERNEL void ember_adam4(GLOBAL real* p0, int po0, GLOBAL const real* g0, int go0, GLOBAL real* m0, int mo0,
                        GLOBAL real* v0, int vo0, int n0,
                        GLOBAL real* p1, int po1, GLOBAL const real* g1, int go1, GLOBAL real* m1, int mo1,
                        GLOBAL real* v1, int vo1, int n1,
                        GLOBAL real* p2, int po2, GLOBAL const real* g2, int go2, GLOBAL real* m2, int mo2,
                        GLOBAL real* v2, int vo2, int n2,
                        GLOBAL real* p3, int po3, GLOBAL const real* g3, int go3, GLOBAL real* m3, int mo3,
                        GLOBAL real* v3, int vo3, int n3,
                        real lr, real beta1, real beta2, real eps, real bc1, real bc2, real weightDecay) {
    int e1 = n0, e2 = e1 + n1, e3 = e2 + n2;
    GRID_STRIDE(i, e3 + n3) {
        if (i < e1) {
            adam_at(p0 + po0 + i, g0 + go0 + i, m0 + mo0 + i, v0 + vo0 + i, lr, beta1, beta2, eps, bc1, bc2, weightDecay);
        } else if (i < e2) {
            int j = i - e1;
            adam_at(p1 + po1 + j, g1 + go1 + j, m1 + mo1 + j, v1 + vo1 + j, lr, beta1, beta2, eps, bc1, bc2, weightDecay);
        } else if (i < e3) {
            int j = i - e2;
            adam_at(p2 + po2 + j, g2 + go2 + j, m2 + mo2 + j, v2 + vo2 + j, lr, beta1, beta2, eps, bc1, bc2, weightDecay);
        } else {
            int j = i - e3;
            adam_at(p3 + po3 + j, g3 + go3 + j, m3 + mo3 + j, v3 + vo3 + j, lr, beta1, beta2, eps, bc1, bc2, weightDecay);
        }
    }
}
