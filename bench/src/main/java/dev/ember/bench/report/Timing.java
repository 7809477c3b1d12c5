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
        time(run, t);
        return median(t);
    }

    /** Runs {@code run} once per element of {@code seconds}, recording each run's wall time; allocates nothing. */
    static void time(Runnable run, double[] seconds) {
        for (int i = 0; i < seconds.length; i++) {
            long t0 = System.nanoTime();
            run.run();
            seconds[i] = (System.nanoTime() - t0) * 1e-9;
        }
    }

    /**
     * Runs {@code run} at least {@code minRuns} times and for at least {@code seconds}: a small
     * network's step is fast enough that a fixed count ends long before C2 has compiled it
     * (measured: 94 us per step in the first second, 10 us after four).
     */
    static void warmUp(Runnable run, double seconds, int minRuns) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; i < minRuns || System.nanoTime() < end; i++) {
            run.run();
        }
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
    }
}
