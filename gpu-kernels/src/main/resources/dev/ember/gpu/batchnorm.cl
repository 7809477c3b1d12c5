/* Batch normalisation over the rows of a rows x cols matrix; training kernels use one work-group per feature. */

KERNEL void ember_batchnorm_training(int rows, int cols, GLOBAL const real* x, int xoff,
                                     GLOBAL const real* gamma, int goff, GLOBAL const real* beta, int boff,
                                     real eps, real momentum,
                                     GLOBAL real* runMean, int rmoff, GLOBAL real* runVar, int rvoff,
                                     GLOBAL real* y, int yoff, GLOBAL real* savedMean, int smoff,
                                     GLOBAL real* savedInvStd, int sioff) {
    LOCAL_ARRAY(real, s, EMBER_WG);
    int c = GROUP_ID(0);
    int lid = LOCAL_ID(0);
    int ls = LOCAL_SIZE(0);
    GLOBAL const real* xc = x + xoff + c;
    real sum = R(0);
    for (int r = lid; r < rows; r += ls) {
        sum += xc[r * cols];
    }
    real mean = group_sum(s, sum) / R(rows);
    real sq = R(0); /* two passes: the variance of the centred values does not cancel catastrophically */
    for (int r = lid; r < rows; r += ls) {
        real d = xc[r * cols] - mean;
        sq += d * d;
    }
    real var = group_sum(s, sq) / R(rows);
    real invStd = R(1) / sqrt(var + eps);
    real g = gamma[goff + c];
    real b = beta[boff + c];
    for (int r = lid; r < rows; r += ls) {
        y[yoff + r * cols + c] = g * (xc[r * cols] - mean) * invStd + b;
    }
    if (lid == 0) {
        savedMean[smoff + c] = mean;
        savedInvStd[sioff + c] = invStd;
        runMean[rmoff + c] = momentum * runMean[rmoff + c] + (R(1) - momentum) * mean;
        runVar[rvoff + c] = momentum * runVar[rvoff + c] + (R(1) - momentum) * var;
    }
}

KERNEL void ember_batchnorm_inference(int rows, int cols, GLOBAL const real* x, int xoff,
                                      GLOBAL const real* gamma, int goff, GLOBAL const real* beta, int boff,
                                      GLOBAL const real* runMean, int rmoff, GLOBAL const real* runVar, int rvoff,
                                      real eps, GLOBAL real* y, int yoff) {
    int n = rows * cols;
    GRID_STRIDE(t, n) {
        int c = t % cols;
        real invStd = R(1) / sqrt(runVar[rvoff + c] + eps);
        y[yoff + t] = gamma[goff + c] * (x[xoff + t] - runMean[rmoff + c]) * invStd + beta[boff + c];
    }
}

/*
 * dbeta = sum dy, dgamma = sum dy * xhat, dx = gamma * invStd / N * (N dy - dbeta - xhat dgamma)
 * with xhat = (x - mean) * invStd.
 */
KERNEL void ember_batchnorm_backward(int rows, int cols, GLOBAL const real* x, int xoff,
                                     GLOBAL const real* dy, int dyoff, GLOBAL const real* gamma, int goff,
                                     GLOBAL const real* savedMean, int smoff, GLOBAL const real* savedInvStd, int sioff,
                                     GLOBAL real* dx, int dxoff, GLOBAL real* dgamma, int dgoff,
                                     GLOBAL real* dbeta, int dboff) {
    LOCAL_ARRAY(real, s, EMBER_WG);
    int c = GROUP_ID(0);
    int lid = LOCAL_ID(0);
    int ls = LOCAL_SIZE(0);
    real mean = savedMean[smoff + c];
    real invStd = savedInvStd[sioff + c];
    real sdy = R(0);
    real sdyx = R(0);
    for (int r = lid; r < rows; r += ls) {
        real g = dy[dyoff + r * cols + c];
        sdy += g;
        sdyx += g * (x[xoff + r * cols + c] - mean) * invStd;
    }
    real db = group_sum(s, sdy);
    real dg = group_sum(s, sdyx);
    real k = gamma[goff + c] * invStd / R(rows);
    for (int r = lid; r < rows; r += ls) {
        int at = r * cols + c;
        real xhat = (x[xoff + at] - mean) * invStd;
        dx[dxoff + at] = k * (R(rows) * dy[dyoff + at] - db - xhat * dg);
    }
    if (lid == 0) {
        dgamma[dgoff + c] = dg;
        dbeta[dboff + c] = db;
    }
}
