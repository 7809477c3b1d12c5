/* Row-wise softmax / log-softmax and their gradients: one work-group per row. */

/* y may alias x: every read of a row happens before the barrier that precedes its writes. */
KERNEL void ember_softmax(int logMode, GLOBAL const real* x, int xoff, GLOBAL real* y, int yoff, int cols) {
    LOCAL_ARRAY(real, s, EMBER_WG);
    int lid = LOCAL_ID(0);
    int ls = LOCAL_SIZE(0);
    GLOBAL const real* xr = x + xoff + GROUP_ID(0) * cols;
    GLOBAL real* yr = y + yoff + GROUP_ID(0) * cols;
    real m = R(-INFINITY);
    for (int j = lid; j < cols; j += ls) {
        m = r_max(m, xr[j]);
    }
    m = group_max(s, m); /* subtracting the maximum keeps exp() finite for logits of any size */
    /*
     * sum = ties + rest: the maxima contribute exactly 1 each, the rest is summed apart so that
     * log(sum) = log(ties) + log1p(rest / ties) keeps its digits when one logit dominates
     * (log(1 + tiny) in F32 would lose them).
     */
    real ties = R(0);
    real rest = R(0);
    for (int j = lid; j < cols; j += ls) {
        real d = xr[j] - m;
        if (d == R(0)) {
            ties += R(1);
        } else {
            rest += exp(d);
        }
    }
    ties = group_sum(s, ties);
    rest = group_sum(s, rest);
    real sum = ties + rest;
    if (logMode) {
        real logSum = log(ties) + log1p(rest / ties);
        for (int j = lid; j < cols; j += ls) {
            yr[j] = (xr[j] - m) - logSum; /* x - m first: exact for the maximum */
        }
    } else {
        for (int j = lid; j < cols; j += ls) {
            yr[j] = exp(xr[j] - m) / sum;
        }
    }
}

/* softmax: dx = y (dy - sum dy y); log-softmax: dx = dy - exp(y) sum dy. dx may alias dy. */
KERNEL void ember_softmax_backward(int logMode, GLOBAL const real* y, int yoff, GLOBAL const real* dy, int dyoff,
                                   GLOBAL real* dx, int dxoff, int cols) {
    LOCAL_ARRAY(real, s, EMBER_WG);
    int lid = LOCAL_ID(0);
    int ls = LOCAL_SIZE(0);
    int base = GROUP_ID(0) * cols;
    GLOBAL const real* yr = y + yoff + base;
    GLOBAL const real* dyr = dy + dyoff + base;
    GLOBAL real* dxr = dx + dxoff + base;
    real dot = R(0);
    for (int j = lid; j < cols; j += ls) {
        dot += logMode ? dyr[j] : dyr[j] * yr[j];
    }
    dot = group_sum(s, dot);
    for (int j = lid; j < cols; j += ls) {
        dxr[j] = logMode ? dyr[j] - exp(yr[j]) * dot : yr[j] * (dyr[j] - dot);
    }
}
