package dev.ember.core.conformance;

import dev.ember.core.BatchNorm;
import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.values;

/**
 * {@link Backend#batchNormTraining}, {@link Backend#batchNormInference} and {@link Backend#batchNormBackward}:
 * forward passes and running statistics against a float64 reference, and the backward pass against the
 * closed-form gradient and against central finite differences of {@code L = sum(y * w)} in F64.
 */
public interface BatchNormConformance extends ConformanceBase {

    double EPS = 1e-5;
    double MOMENTUM = 0.9;
    int[][] SHAPES = {{1, 3}, {2, 1}, {7, 3}, {64, 17}, {513, 33}, {3, 1031}, {1000, 2}};

    /** Features with different means (up to 5) and spreads, as a layer's pre-activations would have. */
    static double[] input(DType dt, int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] shift = new double[cols];
        double[] scale = new double[cols];
        for (int j = 0; j < cols; j++) {
            shift[j] = -5 + 10 * r.nextDouble();
            scale[j] = 0.25 + 2 * r.nextDouble();
        }
        double[] x = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[i * cols + j] = Host.round(dt, shift[j] + scale[j] * (2 * r.nextDouble() - 1));
            }
        }
        return x;
    }

    /** Float64 reference of the training pass: {y, mean, invStd, runningMean', runningVar'}. */
    static double[][] trainingReference(double[] x, double[] gamma, double[] beta, double[] rm, double[] rv,
                                        int rows, int cols, double eps, double momentum) {
        double[] mean = new double[cols];
        double[] var = new double[cols];
        double[] inv = new double[cols];
        double[] y = new double[rows * cols];
        double[] rm2 = new double[cols];
        double[] rv2 = new double[cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += x[i * cols + j];
            }
            mean[j] = s / rows;
            double v = 0;
            for (int i = 0; i < rows; i++) {
                double d = x[i * cols + j] - mean[j];
                v += d * d;
            }
            var[j] = v / rows;
            inv[j] = 1 / Math.sqrt(var[j] + eps);
            for (int i = 0; i < rows; i++) {
                y[i * cols + j] = gamma[j] * (x[i * cols + j] - mean[j]) * inv[j] + beta[j];
            }
            rm2[j] = momentum * rm[j] + (1 - momentum) * mean[j];
            rv2[j] = momentum * rv[j] + (1 - momentum) * var[j];
        }
        return new double[][] {y, mean, inv, rm2, rv2};
    }

    /** Closed-form gradients {dx, dgamma, dbeta} of training-mode batch norm. */
    static double[][] backwardReference(double[] x, double[] dy, double[] gamma, int rows, int cols, double eps) {
        double[][] fwd = trainingReference(x, gamma, new double[cols], new double[cols], new double[cols], rows, cols,
                eps, 0);
        double[] mean = fwd[1];
        double[] inv = fwd[2];
        double[] dx = new double[rows * cols];
        double[] dgamma = new double[cols];
        double[] dbeta = new double[cols];
        for (int j = 0; j < cols; j++) {
            double sumDy = 0, sumDyXhat = 0;
            for (int i = 0; i < rows; i++) {
                double xhat = (x[i * cols + j] - mean[j]) * inv[j];
                sumDy += dy[i * cols + j];
                sumDyXhat += dy[i * cols + j] * xhat;
            }
            dbeta[j] = sumDy;
            dgamma[j] = sumDyXhat;
            for (int i = 0; i < rows; i++) {
                double xhat = (x[i * cols + j] - mean[j]) * inv[j];
                dx[i * cols + j] = gamma[j] * inv[j] / rows * (rows * dy[i * cols + j] - sumDy - xhat * sumDyXhat);
            }
        }
        return new double[][] {dx, dgamma, dbeta};
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void trainingForwardAndRunningStatistics(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 2e-4 : 1e-10;
        for (int[] sh : SHAPES) {
            int rows = sh[0], cols = sh[1];
            double[] x = input(dt, rows, cols, rows * 31L + cols);
            double[] gamma = Host.uniform(dt, cols + 1, cols, 0.5, 2);
            double[] beta = Host.uniform(dt, cols + 2, cols, -1, 1);
            double[] rm = Host.uniform(dt, cols + 3, cols, -1, 1);
            double[] rv = Host.uniform(dt, cols + 4, cols, 0.5, 3);
            double[][] ref = trainingReference(x, gamma, beta, rm, rv, rows, cols, EPS, MOMENTUM);
            try (Scope _ = Scope.open()) {
                Tensor trm = Host.tensor(be, dt, rm, cols);
                Tensor trv = Host.tensor(be, dt, rv, cols);
                BatchNorm.Forward f = BatchNorm.training(Host.tensor(be, dt, x, rows, cols),
                        Host.tensor(be, dt, gamma, cols), Host.tensor(be, dt, beta, cols), trm, trv, EPS, MOMENTUM);
                String what = "batchNormTraining " + dt + " [" + rows + "," + cols + "]";
                Host.assertClose(what + " y", ref[0], values(f.y()), tol, tol);
                Host.assertClose(what + " saved mean", ref[1], values(f.savedMean()), tol, tol);
                Host.assertClose(what + " saved 1/sqrt(var + eps)", ref[2], values(f.savedInvStd()), tol, tol);
                Host.assertClose(what + " running mean", ref[3], values(trm), tol, tol);
                Host.assertClose(what + " running variance (biased)", ref[4], values(trv), tol, tol);
            }
        }
    }

    /** momentum 0 replaces the running statistics by the batch's; the SPI at offsets writes nothing else. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void trainingSpiAtOffsetsWithZeroMomentum(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 2e-4 : 1e-10;
        int rows = 33, cols = 9;
        double[] x = input(dt, rows, cols, 5);
        double[] gamma = Host.uniform(dt, 6, cols, 0.5, 2);
        double[] beta = Host.uniform(dt, 7, cols, -1, 1);
        double[] rm = Host.uniform(dt, 8, cols, -1, 1);
        double[] rv = Host.uniform(dt, 9, cols, 0.5, 3);
        double eps = 1e-3;
        double[][] ref = trainingReference(x, gamma, beta, rm, rv, rows, cols, eps, 0);
        try (Scope _ = Scope.open()) {
            Tensor tx = Host.padded(be, dt, x, 1, 1, Double.NaN);
            Tensor tg = Host.padded(be, dt, gamma, 2, 1, Double.NaN);
            Tensor tb = Host.padded(be, dt, beta, 3, 1, Double.NaN);
            Tensor trm = Host.padded(be, dt, rm, 4, 2, -42);
            Tensor trv = Host.padded(be, dt, rv, 5, 2, -42);
            Tensor ty = Host.padded(be, dt, new double[rows * cols], 6, 2, -42);
            Tensor tm = Host.padded(be, dt, new double[cols], 7, 2, -42);
            Tensor ti = Host.padded(be, dt, new double[cols], 8, 2, -42);
            be.batchNormTraining(rows, cols, at(tx, 1), at(tg, 2), at(tb, 3), eps, 0, at(trm, 4), at(trv, 5),
                    at(ty, 6), at(tm, 7), at(ti, 8));
            String what = "batchNormTraining SPI " + dt + " momentum 0 eps " + eps;
            Host.assertClose(what + " y", ref[0], Host.read(be, at(ty, 6), rows * cols), tol, tol);
            Host.assertClose(what + " saved mean", ref[1], Host.read(be, at(tm, 7), cols), tol, tol);
            Host.assertClose(what + " saved invStd", ref[2], Host.read(be, at(ti, 8), cols), tol, tol);
            Host.assertClose(what + " running mean", ref[3], Host.read(be, at(trm, 4), cols), tol, tol);
            Host.assertClose(what + " running var", ref[4], Host.read(be, at(trv, 5), cols), tol, tol);
            Host.assertPaddingIntact(what + " y", ty, 6, rows * cols, -42);
            Host.assertPaddingIntact(what + " saved mean", tm, 7, cols, -42);
            Host.assertPaddingIntact(what + " saved invStd", ti, 8, cols, -42);
            Host.assertPaddingIntact(what + " running mean", trm, 4, cols, -42);
            Host.assertPaddingIntact(what + " running var", trv, 5, cols, -42);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void inferenceUsesRunningStatistics(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 1e-5 : 1e-12;
        for (int[] sh : SHAPES) {
            int rows = sh[0], cols = sh[1];
            double[] x = input(dt, rows, cols, rows + 17L * cols);
            double[] gamma = Host.uniform(dt, cols + 11, cols, 0.5, 2);
            double[] beta = Host.uniform(dt, cols + 12, cols, -1, 1);
            double[] rm = Host.uniform(dt, cols + 13, cols, -5, 5);
            double[] rv = Host.uniform(dt, cols + 14, cols, 0.1, 4);
            double[] expected = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    expected[i * cols + j] = gamma[j] * (x[i * cols + j] - rm[j]) / Math.sqrt(rv[j] + EPS) + beta[j];
                }
            }
            try (Scope _ = Scope.open()) {
                Tensor trm = Host.tensor(be, dt, rm, cols);
                Tensor trv = Host.tensor(be, dt, rv, cols);
                Tensor y = BatchNorm.inference(Host.tensor(be, dt, x, rows, cols), Host.tensor(be, dt, gamma, cols),
                        Host.tensor(be, dt, beta, cols), trm, trv, EPS);
                String what = "batchNormInference " + dt + " [" + rows + "," + cols + "]";
                Host.assertClose(what, expected, values(y), tol * 10, tol * 10);
                Host.assertExact(what + " leaves running mean alone", rm, values(trm));
                Host.assertExact(what + " leaves running variance alone", rv, values(trv));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void backwardMatchesClosedForm(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 1e-3 : 1e-9;
        for (int[] sh : SHAPES) {
            int rows = sh[0], cols = sh[1];
            double[] x = input(dt, rows, cols, rows * 5L + cols);
            double[] dy = Host.uniform(dt, rows * 7L + cols, rows * cols, -1, 1);
            double[] gamma = Host.uniform(dt, cols + 21, cols, 0.5, 2);
            double[] beta = Host.uniform(dt, cols + 22, cols, -1, 1);
            double[][] ref = backwardReference(x, dy, gamma, rows, cols, EPS);
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, rows, cols);
                Tensor tg = Host.tensor(be, dt, gamma, cols);
                BatchNorm.Forward f = BatchNorm.training(tx, tg, Host.tensor(be, dt, beta, cols),
                        Tensor.zeros(be, dt, cols), Tensor.full(be, dt, 1, cols), EPS, MOMENTUM);
                BatchNorm.Gradients g = BatchNorm.backward(tx, Host.tensor(be, dt, dy, rows, cols), tg, f);
                String what = "batchNormBackward " + dt + " [" + rows + "," + cols + "]";
                // the sums over the batch grow like sqrt(rows)
                double scale = tol * Math.sqrt(rows);
                Host.assertClose(what + " dx", ref[0], values(g.dx()), tol, tol);
                Host.assertClose(what + " dgamma", ref[1], values(g.dgamma()), tol, scale);
                Host.assertClose(what + " dbeta", ref[2], values(g.dbeta()), tol, scale);
            }
        }
    }

    /** Central finite differences of {@code L = sum(y * w)} in F64 for dx, dgamma and dbeta. */
    @Test
    default void backwardMatchesFiniteDifferencesInF64() {
        Backend be = backend();
        DType dt = DType.F64;
        for (int[] sh : new int[][] {{5, 3}, {8, 2}, {2, 4}}) {
            int rows = sh[0], cols = sh[1];
            double[] x = input(dt, rows, cols, 100 + rows);
            double[] w = Host.uniform(dt, 200 + rows, rows * cols, -1, 1);
            double[] gamma = Host.uniform(dt, 300 + rows, cols, 0.5, 2);
            double[] beta = Host.uniform(dt, 400 + rows, cols, -1, 1);
            double h = 1e-5;
            double[] fdx = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double[] p = x.clone();
                double[] m = x.clone();
                p[i] += h;
                m[i] -= h;
                fdx[i] = (loss(be, p, gamma, beta, w, rows, cols) - loss(be, m, gamma, beta, w, rows, cols)) / (2 * h);
            }
            double[] fdg = new double[cols];
            double[] fdb = new double[cols];
            for (int j = 0; j < cols; j++) {
                double[] gp = gamma.clone();
                double[] gm = gamma.clone();
                gp[j] += h;
                gm[j] -= h;
                fdg[j] = (loss(be, x, gp, beta, w, rows, cols) - loss(be, x, gm, beta, w, rows, cols)) / (2 * h);
                double[] bp = beta.clone();
                double[] bm = beta.clone();
                bp[j] += h;
                bm[j] -= h;
                fdb[j] = (loss(be, x, gamma, bp, w, rows, cols) - loss(be, x, gamma, bm, w, rows, cols)) / (2 * h);
            }
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, rows, cols);
                Tensor tg = Host.tensor(be, dt, gamma, cols);
                BatchNorm.Forward f = BatchNorm.training(tx, tg, Host.tensor(be, dt, beta, cols),
                        Tensor.zeros(be, dt, cols), Tensor.full(be, dt, 1, cols), EPS, MOMENTUM);
                BatchNorm.Gradients g = BatchNorm.backward(tx, Host.tensor(be, dt, w, rows, cols), tg, f);
                String what = "batchNormBackward vs finite differences [" + rows + "," + cols + "]";
                Host.assertClose(what + " dx", fdx, values(g.dx()), 1e-5, 1e-7);
                Host.assertClose(what + " dgamma", fdg, values(g.dgamma()), 1e-5, 1e-7);
                Host.assertClose(what + " dbeta", fdb, values(g.dbeta()), 1e-5, 1e-7);
            }
        }
    }

    private static double loss(Backend be, double[] x, double[] gamma, double[] beta, double[] w, int rows, int cols) {
        try (Scope _ = Scope.open()) {
            BatchNorm.Forward f = BatchNorm.training(Host.tensor(be, DType.F64, x, rows, cols),
                    Host.tensor(be, DType.F64, gamma, cols), Host.tensor(be, DType.F64, beta, cols),
                    Tensor.zeros(be, DType.F64, cols), Tensor.zeros(be, DType.F64, cols), EPS, MOMENTUM);
            double[] y = values(f.y());
            double l = 0;
            for (int i = 0; i < y.length; i++) {
                l += y[i] * w[i];
            }
            return l;
        }
    }

    /** The backward SPI at offsets, outputs in separate padded buffers. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void backwardSpiAtOffsets(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 1e-3 : 1e-9;
        int rows = 17, cols = 5;
        double[] x = input(dt, rows, cols, 55);
        double[] dy = Host.uniform(dt, 56, rows * cols, -1, 1);
        double[] gamma = Host.uniform(dt, 57, cols, 0.5, 2);
        double[][] fwd = trainingReference(x, gamma, new double[cols], new double[cols], new double[cols], rows, cols,
                EPS, 0);
        double[][] ref = backwardReference(x, dy, gamma, rows, cols, EPS);
        try (Scope _ = Scope.open()) {
            Tensor tx = Host.padded(be, dt, x, 1, 1, Double.NaN);
            Tensor tdy = Host.padded(be, dt, dy, 2, 1, Double.NaN);
            Tensor tg = Host.padded(be, dt, gamma, 3, 1, Double.NaN);
            Tensor tm = Host.padded(be, dt, fwd[1], 4, 1, Double.NaN);
            Tensor ti = Host.padded(be, dt, fwd[2], 5, 1, Double.NaN);
            Tensor tdx = Host.padded(be, dt, new double[rows * cols], 6, 3, -42);
            Tensor tdg = Host.padded(be, dt, new double[cols], 7, 3, -42);
            Tensor tdb = Host.padded(be, dt, new double[cols], 8, 3, -42);
            be.batchNormBackward(rows, cols, at(tx, 1), at(tdy, 2), at(tg, 3), at(tm, 4), at(ti, 5), at(tdx, 6),
                    at(tdg, 7), at(tdb, 8));
            String what = "batchNormBackward SPI " + dt + " at offsets";
            Host.assertClose(what + " dx", ref[0], Host.read(be, at(tdx, 6), rows * cols), tol, tol);
            Host.assertClose(what + " dgamma", ref[1], Host.read(be, at(tdg, 7), cols), tol, tol * 5);
            Host.assertClose(what + " dbeta", ref[2], Host.read(be, at(tdb, 8), cols), tol, tol * 5);
            Host.assertPaddingIntact(what + " dx", tdx, 6, rows * cols, -42);
            Host.assertPaddingIntact(what + " dgamma", tdg, 7, cols, -42);
            Host.assertPaddingIntact(what + " dbeta", tdb, 8, cols, -42);
        }
    }
}
