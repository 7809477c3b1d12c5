package dev.ember.nn.optim;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.schedule.InverseTimeDecay;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Two optimiser steps on a two-element parameter against the textbook formulas worked by hand. */
class OptimizerTest extends BackendTest {
    private static final double[] P0 = {1.0, -2.0};
    private static final double[] G1 = {0.5, -0.25};
    private static final double[] G2 = {0.1, 0.3};

    private double[] twoSteps(Optimizer opt, DType dtype) {
        try (Variable p = Variable.of("p", backend(), dtype, P0, 2);
             Tensor g1 = Tensor.of(backend(), G1, 2); Tensor g2 = Tensor.of(backend(), G2, 2);
             Tensor c1 = g1.to(dtype); Tensor c2 = g2.to(dtype); opt) {
            opt.apply(List.of(p), List.of(c1));
            opt.apply(List.of(p), List.of(c2));
            return p.toDoubleArray();
        }
    }

    @Test
    public void sgd() {
        // p1 = p0 - 0.1 g1 = [0.95, -1.975]; p2 = p1 - 0.1 g2 = [0.94, -2.005]
        assertThat(twoSteps(new Sgd(0.1), DType.F64)).containsExactly(new double[] {0.94, -2.005}, within(1e-15));
        assertThat(twoSteps(new Sgd(0.1), DType.F32)).containsExactly(new double[] {0.94, -2.005}, within(1e-6));
    }

    @Test
    public void momentumUsesTheAveragingConvention() {
        // v1 = 0.1 g1 = [0.05, -0.025]; p1 = [0.995, -1.9975]
        // v2 = 0.9 v1 + 0.1 g2 = [0.055, 0.0075]; p2 = [0.9895, -1.99825]
        assertThat(twoSteps(new Momentum(0.1, 0.9), DType.F64))
                .containsExactly(new double[] {0.9895, -1.99825}, within(1e-15));
    }

    @Test
    public void nesterovLooksAheadAlongTheNewVelocity() {
        // v1 = 0.1 g1 = [0.05, -0.025];   p1 = p0 - 0.1 (0.9 v1 + 0.1 g1) = [0.9905, -1.99525]
        // v2 = 0.9 v1 + 0.1 g2 = [0.055, 0.0075]; p2 = p1 - 0.1 (0.9 v2 + 0.1 g2) = [0.98455, -1.998925]
        double[] expected = {0.98455, -1.998925};
        double[] v = new double[2];
        double[] p = P0.clone();
        for (double[] g : new double[][] {G1, G2}) {
            for (int i = 0; i < 2; i++) {
                v[i] = 0.9 * v[i] + 0.1 * g[i];
                p[i] -= 0.1 * (0.9 * v[i] + 0.1 * g[i]);
            }
        }
        assertThat(p).containsExactly(expected, within(1e-15));
        assertThat(twoSteps(new Nesterov(0.1, 0.9), DType.F64)).containsExactly(expected, within(1e-15));
        assertThat(twoSteps(new Nesterov(0.1, 0.9), DType.F32)).containsExactly(expected, within(1e-6));
    }

    @Test
    public void rmsprop() {
        double lr = 0.01;
        double beta = 0.9;
        double eps = 1e-8;
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double s1 = (1 - beta) * G1[i] * G1[i];
            double p1 = P0[i] - lr * G1[i] / (Math.sqrt(s1) + eps);
            double s2 = beta * s1 + (1 - beta) * G2[i] * G2[i];
            expected[i] = p1 - lr * G2[i] / (Math.sqrt(s2) + eps);
        }
        // first step moves each weight by lr / sqrt(0.1) = 0.0316...: [0.968377, -1.968377]
        assertThat(expected[0]).isCloseTo(1 - 0.01 / Math.sqrt(0.1) - 0.01 * 0.1 / Math.sqrt(0.0235), within(1e-8));   // ε ignored here
        assertThat(twoSteps(new RmsProp(lr, beta, eps), DType.F64)).containsExactly(expected, within(1e-12));
    }

    @Test
    public void adamWithBiasCorrection() {
        // step 1: m̂ = g1, v̂ = g1², so p1 = p0 - 0.01 sign(g1) = [0.99, -1.99] (up to ε)
        // step 2: m = [0.055, 0.0075], v = [0.00025975, 0.0001524375], m̂ = m/0.19, v̂ = v/0.001999
        double[] m = {0.055, 0.0075};
        double[] v = {0.00025975, 0.0001524375};
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double p1 = P0[i] - 0.01 * G1[i] / (Math.abs(G1[i]) + 1e-8);
            expected[i] = p1 - 0.01 * (m[i] / 0.19) / (Math.sqrt(v[i] / (1 - 0.999 * 0.999)) + 1e-8);
        }
        assertThat(expected[0]).isCloseTo(0.99 - 0.01 * 0.2894736842 / 0.3604718, within(1e-7));
        assertThat(twoSteps(new Adam(0.01, 0.9, 0.999, 1e-8), DType.F64)).containsExactly(expected, within(1e-12));
        assertThat(twoSteps(new Adam(0.01, 0.9, 0.999, 1e-8), DType.F32)).containsExactly(expected, within(1e-6));
    }

    @Test
    public void adamwDecaysWeightsDecoupled() {
        double lr = 0.01;
        double wd = 0.1;
        double[] m = {0.055, 0.0075};
        double[] v = {0.00025975, 0.0001524375};
        double[] expected = new double[2];
        for (int i = 0; i < 2; i++) {
            double p1 = P0[i] - lr * G1[i] / (Math.abs(G1[i]) + 1e-8) - lr * wd * P0[i];
            expected[i] = p1 - lr * (m[i] / 0.19) / (Math.sqrt(v[i] / (1 - 0.999 * 0.999)) + 1e-8) - lr * wd * p1;
        }
        assertThat(twoSteps(new AdamW(lr, wd), DType.F64)).containsExactly(expected, within(1e-12));
    }

    @Test
    public void schedulesSetTheRateEachEpoch() {
        Optimizer opt = new Sgd(0.1).schedule(new InverseTimeDecay(1.0, 1000));
        opt.beginEpoch(0);
        assertThat(opt.learningRate()).isEqualTo(0.1);
        opt.beginEpoch(999);
        assertThat(opt.learningRate()).isEqualTo(0.1);
        opt.beginEpoch(1000);
        assertThat(opt.learningRate()).isEqualTo(0.05);
        opt.beginEpoch(2500);
        assertThat(opt.learningRate()).isCloseTo(0.1 / 3, within(1e-15));
    }

    @Test
    public void clippingByGlobalNormAndByValue() {
        try (Tensor a = f64(new double[] {3, 0}, 2); Tensor b = f64(new double[] {0, 4}, 2)) {
            List<Tensor> c = GradientClipping.byGlobalNorm(1.0).clip(java.util.Arrays.asList(a, null, b));
            assertThat(c.get(0).toDoubleArray()).containsExactly(new double[] {0.6, 0}, within(1e-15));
            assertThat(c.get(1)).isNull();
            assertThat(c.get(2).toDoubleArray()).containsExactly(new double[] {0, 0.8}, within(1e-15));
            c.get(0).close();
            c.get(2).close();
            List<Tensor> same = GradientClipping.byGlobalNorm(10).clip(List.of(a, b));
            assertThat(same.get(1).toDoubleArray()).containsExactly(0, 4);
            same.forEach(Tensor::close);
            List<Tensor> v = GradientClipping.byValue(1).clip(List.of(a, b));
            assertThat(v.get(0).toDoubleArray()).containsExactly(1, 0);
            assertThat(v.get(1).toDoubleArray()).containsExactly(0, 1);
            v.forEach(Tensor::close);
        }
    }

    /** Squares of 1e20 overflow F32: the global norm is scaled before squaring (it gave [0, -0] on cpu, NaN on opencl). */
    @Test
    public void clippingByGlobalNormSurvivesNormsAbove1e19() {
        for (DType dt : DType.values()) {
            double big = dt == DType.F32 ? 1e20 : 1e160;   // each squares past its dtype's largest value
            try (Tensor a = Tensor.of(backend(), dt, new double[] {big, -big}, 2);
                 Tensor b = Tensor.of(backend(), dt, new double[] {big}, 1)) {
                List<Tensor> c = GradientClipping.byGlobalNorm(1).clip(List.of(a));
                assertThat(c.get(0).toDoubleArray()).as("%s", dt)
                        .containsExactly(new double[] {Math.sqrt(0.5), -Math.sqrt(0.5)}, within(1e-6));
                c.forEach(Tensor::close);
                List<Tensor> two = GradientClipping.byGlobalNorm(3).clip(List.of(a, b));
                double each = 3 / Math.sqrt(3);
                assertThat(two.get(0).toDoubleArray()).as("%s", dt).containsExactly(new double[] {each, -each},
                        within(1e-5));
                assertThat(two.get(1).toDoubleArray()).as("%s", dt).containsExactly(new double[] {each},
                        within(1e-5));
                two.forEach(Tensor::close);
            }
        }
    }

    @Test
    public void optimiserStateIsFreedOnClose() {
        long before = liveBuffers();
        twoSteps(new Adam(0.01), DType.F64);
        assertThat(liveBuffers()).isEqualTo(before);
    }
}
