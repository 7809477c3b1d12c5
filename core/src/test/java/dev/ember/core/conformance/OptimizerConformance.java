package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.values;

/**
 * The fused, in-place optimiser updates ({@link Backend#sgdUpdate}, {@link Backend#momentumUpdate},
 * {@link Backend#rmspropUpdate}, {@link Backend#adamUpdate}): two consecutive steps against the textbook
 * formulas evaluated in double, on the parameters and on every state tensor, plus a one-element case
 * whose values were worked out by hand.
 */
public interface OptimizerConformance extends ConformanceBase {

    int N = 1031;

    static double tol(DType dt) {
        return dt == DType.F32 ? 2e-6 : 1e-13;
    }

    /** Gradients in [-1, 1] away from 0 (RMSProp and Adam divide by their running magnitude). */
    static double[] grad(DType dt, long seed) {
        return Host.uniformAwayFromZero(dt, seed, N, 1, 1e-2);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void sgdTwoSteps(DType dt) {
        Backend be = backend();
        double lr = 0.1;
        double[] p = Host.uniform(dt, 1, N, -1, 1);
        double[][] g = {grad(dt, 2), grad(dt, 3)};
        double[] ref = p.clone();
        try (Scope _ = Scope.open()) {
            Tensor tp = Host.tensor(be, dt, p, N);
            for (int step = 0; step < 2; step++) {
                Updates.sgd(tp, Host.tensor(be, dt, g[step], N), lr);
                for (int i = 0; i < N; i++) {
                    ref[i] -= lr * g[step][i];
                }
                Host.assertClose("sgd " + dt + " step " + (step + 1), ref, values(tp), tol(dt), tol(dt));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void momentumTwoSteps(DType dt) {
        Backend be = backend();
        double lr = 0.05, beta = 0.9;
        double[] p = Host.uniform(dt, 4, N, -1, 1);
        double[] v = Host.uniform(dt, 5, N, -0.1, 0.1);
        double[][] g = {grad(dt, 6), grad(dt, 7)};
        double[] rp = p.clone(), rv = v.clone();
        try (Scope _ = Scope.open()) {
            Tensor tp = Host.tensor(be, dt, p, N);
            Tensor tv = Host.tensor(be, dt, v, N);
            for (int step = 0; step < 2; step++) {
                Updates.momentum(tp, Host.tensor(be, dt, g[step], N), tv, lr, beta);
                for (int i = 0; i < N; i++) {
                    rv[i] = beta * rv[i] + (1 - beta) * g[step][i];
                    rp[i] -= lr * rv[i];
                }
                Host.assertClose("momentum " + dt + " step " + (step + 1) + " velocity", rv, values(tv), tol(dt), tol(dt));
                Host.assertClose("momentum " + dt + " step " + (step + 1) + " param", rp, values(tp), tol(dt), tol(dt));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void rmspropTwoSteps(DType dt) {
        Backend be = backend();
        double lr = 0.01, beta = 0.9, eps = 1e-8;
        double[] p = Host.uniform(dt, 8, N, -1, 1);
        double[] ms = Host.uniform(dt, 9, N, 0, 0.5);
        double[][] g = {grad(dt, 10), grad(dt, 11)};
        double[] rp = p.clone(), rs = ms.clone();
        try (Scope _ = Scope.open()) {
            Tensor tp = Host.tensor(be, dt, p, N);
            Tensor ts = Host.tensor(be, dt, ms, N);
            for (int step = 0; step < 2; step++) {
                Updates.rmsprop(tp, Host.tensor(be, dt, g[step], N), ts, lr, beta, eps);
                for (int i = 0; i < N; i++) {
                    rs[i] = beta * rs[i] + (1 - beta) * g[step][i] * g[step][i];
                    rp[i] -= lr * g[step][i] / (Math.sqrt(rs[i]) + eps);
                }
                Host.assertClose("rmsprop " + dt + " step " + (step + 1) + " mean square", rs, values(ts), tol(dt), tol(dt));
                Host.assertClose("rmsprop " + dt + " step " + (step + 1) + " param", rp, values(tp), tol(dt), tol(dt));
            }
        }
    }

    /** Adam from zero state at steps 1 and 2, with and without decoupled weight decay. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void adamTwoStepsWithBiasCorrectionAndWeightDecay(DType dt) {
        for (double wd : new double[] {0, 0.01}) {
            runAdam(dt, wd, 1, false);
        }
    }

    /** Bias correction uses the step number it is given: start at step 5 with non-zero moments. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void adamBiasCorrectionFollowsTheStepNumber(DType dt) {
        runAdam(dt, 0.1, 5, true);
    }

    private void runAdam(DType dt, double wd, int firstStep, boolean warmState) {
        Backend be = backend();
        double lr = 0.01, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        double[] p = Host.uniform(dt, 12, N, -1, 1);
        double[] m = warmState ? Host.uniform(dt, 13, N, -0.2, 0.2) : new double[N];
        double[] v = warmState ? Host.uniform(dt, 14, N, 0.01, 0.3) : new double[N];
        double[][] g = {grad(dt, 15), grad(dt, 16)};
        double[] rp = p.clone(), rm = m.clone(), rv = v.clone();
        try (Scope _ = Scope.open()) {
            Tensor tp = Host.tensor(be, dt, p, N);
            Tensor tm = Host.tensor(be, dt, m, N);
            Tensor tv = Host.tensor(be, dt, v, N);
            for (int k = 0; k < 2; k++) {
                int t = firstStep + k;
                Updates.adam(tp, Host.tensor(be, dt, g[k], N), tm, tv, lr, b1, b2, eps, t, wd);
                for (int i = 0; i < N; i++) {
                    rm[i] = b1 * rm[i] + (1 - b1) * g[k][i];
                    rv[i] = b2 * rv[i] + (1 - b2) * g[k][i] * g[k][i];
                    double mHat = rm[i] / (1 - Math.pow(b1, t));
                    double vHat = rv[i] / (1 - Math.pow(b2, t));
                    rp[i] = rp[i] - lr * mHat / (Math.sqrt(vHat) + eps) - lr * wd * rp[i];
                }
                String what = "adam " + dt + " step " + t + " weightDecay " + wd;
                Host.assertClose(what + " m", rm, values(tm), tol(dt), tol(dt));
                Host.assertClose(what + " v", rv, values(tv), tol(dt), tol(dt));
                Host.assertClose(what + " param", rp, values(tp), tol(dt) * 5, tol(dt) * 5);
            }
        }
    }

    /**
     * One parameter p = 1 with gradients 0.5 then -0.25, values worked out by hand:
     * SGD (lr 0.1): 0.95, 0.975. Momentum (lr 0.1, beta 0.9): v 0.05, 0.02; p 0.995, 0.993.
     * RMSProp (lr 0.01, beta 0.9, eps 1e-8): s 0.025, 0.02875; p 1 - 0.01 * 0.5 / sqrt(0.025), then
     * + 0.01 * 0.25 / sqrt(0.02875). Adam (lr 0.1, 0.9, 0.999, eps 1e-8): step 1 moves by lr (up to eps) (m-hat / sqrt(v-hat)
     * = g / |g|): 0.9; step 2: m = 0.02, v = 0.00031225, m-hat = 0.02 / 0.19, v-hat = 0.00031225 / 0.001999.
     * The SPI is called directly at buffer offsets (and the state tensors are checked too).
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void handComputedSingleParameter(DType dt) {
        Backend be = backend();
        double tol = dt == DType.F32 ? 1e-6 : 1e-14;
        double[] g = {0.5, -0.25};
        double eps = 1e-8;
        try (Scope _ = Scope.open()) {
            Tensor p = Host.padded(be, dt, new double[] {1}, 2, 1, Double.NaN);
            Tensor grad = Host.padded(be, dt, new double[] {g[0]}, 2, 1, Double.NaN);
            be.sgdUpdate(at(p, 2), at(grad, 2), 1, 0.1);
            assertScalar("sgd step 1", 0.95, be, p, tol);
            Host.write(be, at(grad, 2), new double[] {g[1]});
            be.sgdUpdate(at(p, 2), at(grad, 2), 1, 0.1);
            assertScalar("sgd step 2", 0.975, be, p, tol);

            Host.write(be, at(p, 2), new double[] {1});
            Tensor vel = Host.padded(be, dt, new double[] {0}, 2, 2, Double.NaN);
            Host.write(be, at(grad, 2), new double[] {g[0]});
            be.momentumUpdate(at(p, 2), at(grad, 2), at(vel, 2), 1, 0.1, 0.9);
            assertScalar("momentum step 1 velocity", 0.05, be, vel, tol);
            assertScalar("momentum step 1", 0.995, be, p, tol);
            Host.write(be, at(grad, 2), new double[] {g[1]});
            be.momentumUpdate(at(p, 2), at(grad, 2), at(vel, 2), 1, 0.1, 0.9);
            assertScalar("momentum step 2 velocity", 0.02, be, vel, tol);
            assertScalar("momentum step 2", 0.993, be, p, tol);

            Host.write(be, at(p, 2), new double[] {1});
            Tensor sq = Host.padded(be, dt, new double[] {0}, 2, 2, Double.NaN);
            Host.write(be, at(grad, 2), new double[] {g[0]});
            be.rmspropUpdate(at(p, 2), at(grad, 2), at(sq, 2), 1, 0.01, 0.9, eps);
            assertScalar("rmsprop step 1 mean square", 0.025, be, sq, tol);
            double p1 = 1 - 0.01 * 0.5 / (Math.sqrt(0.025) + eps);
            assertScalar("rmsprop step 1", p1, be, p, tol);
            Host.write(be, at(grad, 2), new double[] {g[1]});
            be.rmspropUpdate(at(p, 2), at(grad, 2), at(sq, 2), 1, 0.01, 0.9, eps);
            assertScalar("rmsprop step 2 mean square", 0.02875, be, sq, tol);
            assertScalar("rmsprop step 2", p1 + 0.01 * 0.25 / (Math.sqrt(0.02875) + eps), be, p, tol);

            Host.write(be, at(p, 2), new double[] {1});
            Tensor m = Host.padded(be, dt, new double[] {0}, 2, 2, Double.NaN);
            Tensor v = Host.padded(be, dt, new double[] {0}, 2, 2, Double.NaN);
            Host.write(be, at(grad, 2), new double[] {g[0]});
            be.adamUpdate(at(p, 2), at(grad, 2), at(m, 2), at(v, 2), 1, 0.1, 0.9, 0.999, eps, 1, 0);
            assertScalar("adam step 1 m", 0.05, be, m, tol);
            assertScalar("adam step 1 v", 0.00025, be, v, tol);
            double a1 = 1 - 0.1 * 0.5 / (0.5 + eps); // 0.9 up to eps
            assertScalar("adam step 1", a1, be, p, tol);
            Host.write(be, at(grad, 2), new double[] {g[1]});
            be.adamUpdate(at(p, 2), at(grad, 2), at(m, 2), at(v, 2), 1, 0.1, 0.9, 0.999, eps, 2, 0);
            assertScalar("adam step 2 m", 0.02, be, m, tol);
            assertScalar("adam step 2 v", 0.00031225, be, v, tol);
            double mHat = 0.02 / 0.19;
            double vHat = 0.00031225 / 0.001999;
            assertScalar("adam step 2", a1 - 0.1 * mHat / (Math.sqrt(vHat) + eps), be, p, tol);

            // decoupled weight decay: p -= lr * wd * p on top of the Adam step (from the same old p)
            Host.write(be, at(p, 2), new double[] {2});
            Host.write(be, at(m, 2), new double[] {0});
            Host.write(be, at(v, 2), new double[] {0});
            Host.write(be, at(grad, 2), new double[] {g[0]});
            be.adamUpdate(at(p, 2), at(grad, 2), at(m, 2), at(v, 2), 1, 0.1, 0.9, 0.999, eps, 1, 0.5);
            assertScalar("adamW step 1", 2 - 0.1 * 0.5 / (0.5 + eps) - 0.1 * 0.5 * 2, be, p, tol); // 1.8 up to eps

            for (Tensor t : new Tensor[] {p, grad, vel, sq, m, v}) {
                double[] all = values(t);
                int nan = 0;
                for (double x : all) {
                    nan += Double.isNaN(x) ? 1 : 0;
                }
                if (nan != all.length - 1) {
                    throw new AssertionError("optimizer update " + dt + " wrote outside its one-element span");
                }
            }
        }
    }

    private static void assertScalar(String what, double expected, Backend be, Tensor padded, double tol) {
        double got = Host.read(be, at(padded, 2), 1)[0];
        if (!(Math.abs(got - expected) <= tol * Math.max(1, Math.abs(expected)))) {
            throw new AssertionError(what + " " + padded.dtype() + ": expected " + expected + ", got " + got);
        }
    }
}
