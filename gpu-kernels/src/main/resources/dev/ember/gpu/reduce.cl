/*
 * Reductions of the middle axis of [outer, len, inner]. Codes match OpenClOps on the host.
 * Sums use Kahan compensation per work-item, so long F32 rows stay accurate; the compensation is
 * dropped once the sum is not finite, so +Inf stays +Inf (not Inf - Inf = NaN) as IEEE and numpy say.
 * NaN propagates through MAX and MIN, and ARGMAX takes the first NaN, as np.argmax does.
 */

#define RD_SUM 0
#define RD_MEAN 1
#define RD_MAX 2
#define RD_MIN 3
#define RD_ARGMAX 4
#define RD_SUM_OF_SQUARES 5

/* Whether candidate (b, ib) replaces the current (a, ia): the first NaN wins, else the first maximum. */
DEVICE_FN bool argmax_beats(real b, int ib, real a, int ia) {
    bool bNaN = b != b;
    bool aNaN = a != a;
    if (bNaN || aNaN) {
        return bNaN && (!aNaN || ib < ia);
    }
    return b > a || (b == a && ib < ia);
}

/* Partial reduction of one work-item: running value, Kahan compensation and argmax index (-1 = empty). */
typedef struct {
    real v;
    real c;
    int idx;
} partial;

DEVICE_FN partial partial_init(int op) {
    partial p;
    p.v = op == RD_MAX ? R(-INFINITY) : op == RD_MIN ? R(INFINITY) : R(0);
    p.c = R(0);
    p.idx = -1;
    return p;
}

DEVICE_FN partial partial_add(int op, partial p, real x, int j) {
    if (op == RD_MAX) {
        p.v = r_max(p.v, x);
    } else if (op == RD_MIN) {
        p.v = r_min(p.v, x);
    } else if (op == RD_ARGMAX) {
        if (p.idx < 0 || argmax_beats(x, j, p.v, p.idx)) {
            p.v = x;
            p.idx = j;
        }
    } else {
        real term = (op == RD_SUM_OF_SQUARES ? x * x : x) - p.c;
        real t = p.v + term;
        p.c = isfinite(t) ? (t - p.v) - term : R(0);
        p.v = t;
    }
    return p;
}

DEVICE_FN real partial_result(int op, partial p, int len) {
    return op == RD_MEAN ? p.v / R(len) : op == RD_ARGMAX ? R(p.idx) : p.v;
}

/* One work-item per output: right when there are many outputs or short rows. */
KERNEL void ember_reduce_serial(int op, GLOBAL const real* x, int xoff, int outer, int len, int inner,
                                GLOBAL real* out, int ooff) {
    int outputs = outer * inner;
    GRID_STRIDE(g, outputs) {
        int o = g / inner;
        int i = g - o * inner;
        GLOBAL const real* row = x + xoff + o * len * inner + i;
        partial p = partial_init(op);
        for (int j = 0; j < len; j++) {
            p = partial_add(op, p, row[j * inner], j);
        }
        out[ooff + g] = partial_result(op, p, len);
    }
}

/* One work-group per output: right for few, long rows. The local size is a power of two <= EMBER_WG. */
KERNEL void ember_reduce_group(int op, GLOBAL const real* x, int xoff, int outer, int len, int inner,
                               GLOBAL real* out, int ooff) {
    LOCAL_ARRAY(real, sv, EMBER_WG);
    LOCAL_ARRAY(int, si, EMBER_WG);
    int g = GROUP_ID(0);
    int lid = LOCAL_ID(0);
    int o = g / inner;
    int i = g - o * inner;
    GLOBAL const real* row = x + xoff + o * len * inner + i;
    partial p = partial_init(op);
    for (int j = lid; j < len; j += LOCAL_SIZE(0)) {
        p = partial_add(op, p, row[j * inner], j);
    }
    sv[lid] = p.v;
    si[lid] = p.idx;
    BARRIER();
    for (int width = LOCAL_SIZE(0) / 2; width > 0; width >>= 1) {
        if (lid < width) {
            real a = sv[lid];
            real b = sv[lid + width];
            if (op == RD_MAX) {
                sv[lid] = r_max(a, b);
            } else if (op == RD_MIN) {
                sv[lid] = r_min(a, b);
            } else if (op == RD_ARGMAX) {
                int ia = si[lid];
                int ib = si[lid + width];
                if (ib >= 0 && (ia < 0 || argmax_beats(b, ib, a, ia))) {
                    sv[lid] = b;
                    si[lid] = ib;
                }
            } else {
                sv[lid] = a + b;
            }
        }
        BARRIER();
    }
    if (lid == 0) {
        partial r;
        r.v = sv[0];
        r.c = R(0);
        r.idx = si[0];
        out[ooff + g] = partial_result(op, r, len);
    }
}
