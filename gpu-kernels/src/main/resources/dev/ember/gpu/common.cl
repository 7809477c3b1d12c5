/*
 * Helpers shared by all kernels. Java's Math.max/min (IEEE 754-2019 maximum/minimum): a NaN operand
 * gives NaN (fmax would drop it), and -0 counts as below +0, so max(-0, +0) is +0 in either order.
 */

DEVICE_FN real r_max(real a, real b) {
    if (a != a || (a == b && !signbit(a))) {
        return a;
    }
    return a > b ? a : b;
}

DEVICE_FN real r_min(real a, real b) {
    if (a != a || (a == b && signbit(a))) {
        return a;
    }
    return a < b ? a : b;
}

/* Work-group sum of one value per work-item; s holds LOCAL_SIZE(0) elements, a power of two. */
DEVICE_FN real group_sum(LOCAL real* s, real v) {
    int lid = LOCAL_ID(0);
    s[lid] = v;
    BARRIER();
    for (int width = LOCAL_SIZE(0) / 2; width > 0; width >>= 1) {
        if (lid < width) {
            s[lid] += s[lid + width];
        }
        BARRIER();
    }
    real r = s[0];
    BARRIER(); /* s is reused by the caller's next reduction */
    return r;
}

/* Work-group maximum (NaN-propagating). */
DEVICE_FN real group_max(LOCAL real* s, real v) {
    int lid = LOCAL_ID(0);
    s[lid] = v;
    BARRIER();
    for (int width = LOCAL_SIZE(0) / 2; width > 0; width >>= 1) {
        if (lid < width) {
            s[lid] = r_max(s[lid], s[lid + width]);
        }
        BARRIER();
    }
    real r = s[0];
    BARRIER();
    return r;
}
