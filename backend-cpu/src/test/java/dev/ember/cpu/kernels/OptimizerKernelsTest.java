package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.Span;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

/** The fused optimiser updates against scalar double references of the SPI formulas. */
class OptimizerKernelsTest extends KernelTestSupport {
    private static int[] sizes() {
        int[] s = java.util.Arrays.copyOf(SIZES, SIZES.length + 1);
        s[SIZES.length] = 150_001;
        return s;
    }

    @Test
    void updatesMatchReference() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int n : sizes()) {
                Random rnd = new Random(n);
                double[] p = rounded(dt, gaussian(rnd, n));
                double[] g = rounded(dt, gaussian(rnd, n));
                double[] s1 = rounded(dt, gaussian(rnd, n));
                double[] s2 = rounded(dt, random(rnd, n, 0, 2));
                String what = dt + " n=" + n;
                double tol = 4 * tolerance(dt);

                Span ps = upload(be, dt, p);
                be.sgdUpdate(ps, upload(be, dt, g), n, 0.01);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = p[i] - 0.01 * g[i];
                }
                assertClose("sgd " + what, expected, download(be, ps, n), tol, 1);

                ps = upload(be, dt, p);
                Span vs = upload(be, dt, s1);
                be.momentumUpdate(ps, upload(be, dt, g), vs, n, 0.01, 0.9);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = 0.9 * s1[i] + 0.1 * g[i];
                    expected[i] = p[i] - 0.01 * v[i];
                }
                assertClose("momentum v " + what, v, download(be, vs, n), tol, 1);
                assertClose("momentum p " + what, expected, download(be, ps, n), tol, 1);

                ps = upload(be, dt, p);
                Span ms = upload(be, dt, s2);
                be.rmspropUpdate(ps, upload(be, dt, g), ms, n, 0.01, 0.99, 1e-8);
                for (int i = 0; i < n; i++) {
                    v[i] = 0.99 * s2[i] + 0.01 * g[i] * g[i];
                    expected[i] = p[i] - 0.01 * g[i] / (Math.sqrt(v[i]) + 1e-8);
                }
                assertClose("rmsprop s " + what, v, download(be, ms, n), tol, 1);
                assertClose("rmsprop p " + what, expected, download(be, ps, n), tol, 1);

                for (double decay : new double[] {0, 0.01}) {
                    int step = 3;
                    ps = upload(be, dt, p);
                    Span m1 = upload(be, dt, s1);
                    Span m2 = upload(be, dt, s2);
                    be.adamUpdate(ps, upload(be, dt, g), m1, m2, n, 1e-3, 0.9, 0.999, 1e-8, step, decay);
                    double[] m = new double[n];
                    double bias1 = 1 - Math.pow(0.9, step);
                    double bias2 = 1 - Math.pow(0.999, step);
                    for (int i = 0; i < n; i++) {
                        m[i] = 0.9 * s1[i] + 0.1 * g[i];
                        v[i] = 0.999 * s2[i] + 0.001 * g[i] * g[i];
                        expected[i] = p[i] - 1e-3 * (m[i] / bias1) / (Math.sqrt(v[i] / bias2) + 1e-8)
                                - 1e-3 * decay * p[i];
                    }
                    assertClose("adam m " + what, m, download(be, m1, n), tol, 1);
                    assertClose("adam v " + what, v, download(be, m2, n), tol, 1);
                    assertClose("adam p decay=" + decay + " " + what, expected, download(be, ps, n), tol, 1);
                }
            }
        }));
    }

    @Test
    void threadedAndSerialUpdatesAgreeExactly() {
        dtypes().forEach(dt -> {
            int n = 300_007;
            Random rnd = new Random(1);
            double[] p = gaussian(rnd, n);
            double[] g = gaussian(rnd, n);
            double[][] results = new double[2][];
            CpuBackend[] bes = {SERIAL, THREADED};
            for (int k = 0; k < 2; k++) {
                Span ps = upload(bes[k], dt, p);
                bes[k].adamUpdate(ps, upload(bes[k], dt, g), zeros(bes[k], dt, n), zeros(bes[k], dt, n), n, 1e-3, 0.9,
                        0.999, 1e-8, 1, 0.01);
                results[k] = download(bes[k], ps, n);
            }
            assertExact("serial vs threaded " + dt, DType.F64, results[0], results[1]);
        });
    }
}
