package dev.ember.bench.report;

import java.util.Arrays;

/** Median wall time of repeated runs, after warm-up runs that let the JIT compile the kernels. */
final class Timing {
    private Timing() {
    }

    static double medianSeconds(Runnable run, int warmups, int reps) {
        for (int i = 0; i < warmups; i++) {
            run.run();
        }
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            run.run();
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        return median(t);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
