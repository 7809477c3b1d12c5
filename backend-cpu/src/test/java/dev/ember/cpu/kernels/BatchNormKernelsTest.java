package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.Span;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Batch norm forward against a double reference, backward against the formula and finite differences. */
class BatchNormKernelsTest extends KernelTestSupport {
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.9;
    private static final int[][] GRIDS = {{1, 1}, {2, 3}, {7, 7}, {5, 17}, {3, 33}, {9, 65}, {4, 127}, {2, 513},
            {300, 5}, {1000, 300}, {20_000, 4}};

    /** The forward pass of one grid, in double, from inputs already rounded to the dtype. */
    private record Forward(double[] y, double[] mean, double[] invStd, double[] runMean, double[] runVar) {
        static Forward of(int rows, int cols, double[] x, double[] gamma, double[] beta, double[] runMean,
                          double[] runVar) {
            double[] mean = new double[cols];
            double[] invStd = new double[cols];
            double[] rm = runMean.clone();
            double[] rv = runVar.clone();
            double[] y = new double[rows * cols];
            for (int c = 0; c < cols; c++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += x[r * cols + c];
                }
                mean[c] = s / rows;
                double v = 0;
                for (int r = 0; r < rows; r++) {
                    double d = x[r * cols + c] - mean[c];
                    v += d * d;
                }
                v /= rows;
                invStd[c] = 1 / Math.sqrt(v + EPS);
                rm[c] = MOMENTUM * rm[c] + (1 - MOMENTUM) * mean[c];
                rv[c] = MOMENTUM * rv[c] + (1 - MOMENTUM) * v;
                for (int r = 0; r < rows; r++) {
                    y[r * cols + c] = gamma[c] * (x[r * cols + c] - mean[c]) * invStd[c] + beta[c];
                }
            }
            return new Forward(y, mean, invStd, rm, rv);
        }
    }

    @Test
    void trainingInferenceAndBackwardMatchReference() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int[] g : GRIDS) {
                int rows = g[0];
                int cols = g[1];
                Random rnd = new Random(rows * 7919L + cols);
                double[] x = rounded(dt, gaussian(rnd, rows * cols));
                for (int i = 0; i < x.length; i++) {
                    x[i] = rounded(dt, new double[] {3 + 2 * x[i]})[0]; // mean 3, std 2
                }
                double[] gamma = rounded(dt, random(rnd, cols, 0.5, 2));
                double[] beta = rounded(dt, random(rnd, cols, -1, 1));
                double[] runMean = rounded(dt, random(rnd, cols, -1, 1));
                double[] runVar = rounded(dt, random(rnd, cols, 0.5, 2));
                Forward ref = Forward.of(rows, cols, x, gamma, beta, runMean, runVar);
                String what = dt + " " + rows + "x" + cols;
                double tol = 8 * tolerance(dt);

                Span xs = upload(be, dt, x);
                Span gs = upload(be, dt, gamma);
                Span bs = upload(be, dt, beta);
                Span rms = upload(be, dt, runMean);
                Span rvs = upload(be, dt, runVar);
                // x - mean carries the rounding error of x and mean (about |x| ulp), magnified by
                // invStd (up to 1/sqrt(eps) for columns of tiny variance): scale tolerances by it
                double[] magnify = new double[cols];
                for (int c = 0; c < cols; c++) {
                    double maxAbs = 0;
                    for (int r = 0; r < rows; r++) {
                        maxAbs = Math.max(maxAbs, Math.abs(x[r * cols + c]));
                    }
                    magnify[c] = Math.max(1, ref.invStd()[c] * maxAbs);
                }
                double[] yScale = new double[rows * cols];
                double[] dxScale = new double[rows * cols];
                double[] dgammaScale = new double[cols];
                for (int k = 0; k < rows * cols; k++) {
                    int c = k % cols;
                    yScale[k] = gamma[c] * magnify[c];
                    dxScale[k] = gamma[c] * ref.invStd()[c] * magnify[c];
                    dgammaScale[c] = Math.sqrt(rows) * magnify[c];
                }
                Span ys = zeros(be, dt, rows * cols);
                Span means = zeros(be, dt, cols);
                Span invStds = zeros(be, dt, cols);
                be.batchNormTraining(rows, cols, xs, gs, bs, EPS, MOMENTUM, rms, rvs, ys, means, invStds);
                assertClose("y " + what, ref.y(), download(be, ys, rows * cols), tol, yScale);
                assertClose("mean " + what, ref.mean(), download(be, means, cols), tol, 1);
                assertClose("invStd " + what, ref.invStd(), download(be, invStds, cols), tol, 1);
                assertClose("running mean " + what, ref.runMean(), download(be, rms, cols), tol, 1);
                assertClose("running var " + what, ref.runVar(), download(be, rvs, cols), tol, 1);

                double[] yInf = new double[rows * cols];
                for (int k = 0; k < yInf.length; k++) {
                    int c = k % cols;
                    yInf[k] = gamma[c] * (x[k] - runMean[c]) / Math.sqrt(runVar[c] + EPS) + beta[c];
                }
                Span yi = zeros(be, dt, rows * cols);
                be.batchNormInference(rows, cols, xs, gs, bs, upload(be, dt, runMean), upload(be, dt, runVar), EPS, yi);
                assertClose("inference " + what, yInf, download(be, yi, rows * cols), tol, 1);

                // backward from the kernel's own saved statistics, against the closed form
                double[] mean = download(be, means, cols);
                double[] invStd = download(be, invStds, cols);
                double[] dy = rounded(dt, gaussian(rnd, rows * cols));
                double[] dx = new double[rows * cols];
                double[] dgamma = new double[cols];
                double[] dbeta = new double[cols];
                for (int c = 0; c < cols; c++) {
                    for (int r = 0; r < rows; r++) {
                        int k = r * cols + c;
                        dbeta[c] += dy[k];
                        dgamma[c] += dy[k] * (x[k] - mean[c]) * invStd[c];
                    }
                    for (int r = 0; r < rows; r++) {
                        int k = r * cols + c;
                        double xhat = (x[k] - mean[c]) * invStd[c];
                        dx[k] = invStd[c] / rows * (rows * dy[k] * gamma[c] - dbeta[c] * gamma[c]
                                - xhat * dgamma[c] * gamma[c]);
                    }
                }
                Span dxs = zeros(be, dt, rows * cols);
                Span dgs = zeros(be, dt, cols);
                Span dbs = zeros(be, dt, cols);
                be.batchNormBackward(rows, cols, xs, upload(be, dt, dy), gs, means, invStds, dxs, dgs, dbs);
                double sumScale = Math.sqrt(rows);
                assertClose("dbeta " + what, dbeta, download(be, dbs, cols), tol, sumScale);
                assertClose("dgamma " + what, dgamma, download(be, dgs, cols), tol, dgammaScale);
                assertClose("dx " + what, dx, download(be, dxs, rows * cols), tol, dxScale);
            }
        }));
    }

    /** d/dtheta of L = sum(w * y) by central differences of the F64 training forward pass. */
    @Test
    void backwardMatchesFiniteDifferences() {
        CpuBackend be = SERIAL;
        DType dt = DType.F64;
        int rows = 6;
        int cols = 5;
        Random rnd = new Random(42);
        double[] x = gaussian(rnd, rows * cols);
        double[] gamma = random(rnd, cols, 0.5, 2);
        double[] beta = random(rnd, cols, -1, 1);
        double[] w = gaussian(rnd, rows * cols);

        Span means = zeros(be, dt, cols);
        Span invStds = zeros(be, dt, cols);
        be.batchNormTraining(rows, cols, upload(be, dt, x), upload(be, dt, gamma), upload(be, dt, beta), EPS,
                MOMENTUM, zeros(be, dt, cols), zeros(be, dt, cols), zeros(be, dt, rows * cols), means, invStds);
        Span dxs = zeros(be, dt, rows * cols);
        Span dgs = zeros(be, dt, cols);
        Span dbs = zeros(be, dt, cols);
        be.batchNormBackward(rows, cols, upload(be, dt, x), upload(be, dt, w), upload(be, dt, gamma), means, invStds,
                dxs, dgs, dbs);
        double[] dx = download(be, dxs, rows * cols);
        double[] dgamma = download(be, dgs, cols);
        double[] dbeta = download(be, dbs, cols);

        double h = 1e-6;
        for (int k = 0; k < x.length; k++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[k] += h;
            minus[k] -= h;
            double numeric = (loss(be, plus, gamma, beta, w, rows, cols) - loss(be, minus, gamma, beta, w, rows, cols))
                    / (2 * h);
            assertThat(dx[k]).as("dx[%d]", k).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6));
        }
        for (int c = 0; c < cols; c++) {
            double[] gp = gamma.clone();
            double[] gm = gamma.clone();
            gp[c] += h;
            gm[c] -= h;
            double numeric = (loss(be, x, gp, beta, w, rows, cols) - loss(be, x, gm, beta, w, rows, cols)) / (2 * h);
            assertThat(dgamma[c]).as("dgamma[%d]", c).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6));
            double[] bp = beta.clone();
            double[] bm = beta.clone();
            bp[c] += h;
            bm[c] -= h;
            numeric = (loss(be, x, gamma, bp, w, rows, cols) - loss(be, x, gamma, bm, w, rows, cols)) / (2 * h);
            assertThat(dbeta[c]).as("dbeta[%d]", c).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private static double loss(CpuBackend be, double[] x, double[] gamma, double[] beta, double[] w, int rows,
                               int cols) {
        DType dt = DType.F64;
        Span ys = zeros(be, dt, rows * cols);
        be.batchNormTraining(rows, cols, upload(be, dt, x), upload(be, dt, gamma), upload(be, dt, beta), EPS, MOMENTUM,
                zeros(be, dt, cols), zeros(be, dt, cols), ys, zeros(be, dt, cols), zeros(be, dt, cols));
        double[] y = download(be, ys, rows * cols);
        double l = 0;
        for (int k = 0; k < y.length; k++) {
            l += w[k] * y[k];
        }
        return l;
    }
}
