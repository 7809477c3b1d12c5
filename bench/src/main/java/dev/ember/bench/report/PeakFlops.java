package dev.ember.bench.report;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;

/**
 * The FP32 peak this machine actually sustains, measured rather than computed: a Vector API loop
 * of independent fused multiply-adds on every thread at once. Computing it from the lane count
 * goes wrong on cores whose wide vectors are double-pumped (Zen 4 executes a 512-bit FMA as two
 * 256-bit halves) and on clocks that change with load; measuring takes both into account.
 */
public final class PeakFlops {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Enough independent chains to cover FMA latency times the number of FMA pipes. */
    private static final int CHAINS = 12;

    private PeakFlops() {
    }

    /**
     * Sustained F32 GFLOPS of {@code threads} threads running FMA loops together: the best of three
     * timed runs of a few tens of milliseconds, after enough calls for the JIT to compile the loop.
     */
    public static double measure(int threads) {
        for (int i = 0; i < 50; i++) {
            fmaLoop(20_000);
        }
        double best = 0;
        for (int run = 0; run < 3; run++) {
            best = Math.max(best, timedRun(threads, 10_000_000));
        }
        return best;
    }

    private static double timedRun(int threads, long iterations) {
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread worker = Thread.ofPlatform().start(() -> fmaLoop(iterations));
            workers.add(worker);
        }
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("peak measurement interrupted", e);
            }
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        double flops = (double) threads * iterations * CHAINS * SPECIES.length() * 2;
        return flops / seconds * 1e-9;
    }

    /** Returns a value derived from every chain so the JIT cannot drop the work. */
    private static float fmaLoop(long iterations) {
        FloatVector a0 = FloatVector.broadcast(SPECIES, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector x = FloatVector.broadcast(SPECIES, 0.999999f);
        FloatVector y = FloatVector.broadcast(SPECIES, 1e-7f);
        for (long i = 0; i < iterations; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
