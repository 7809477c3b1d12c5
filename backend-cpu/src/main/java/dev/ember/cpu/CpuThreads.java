package dev.ember.cpu;

import java.util.concurrent.ForkJoinPool;

/** The CPU backend's thread count: {@code -Dember.cpu.threads}, default the available processors. */
public final class CpuThreads {
    public static final String PROPERTY = "ember.cpu.threads";

    private CpuThreads() {
    }

    /** Parses the configured thread count, failing with the property's name on a bad value. */
    public static int configured() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive integer, got '" + value + "'");
    }

    static ForkJoinPool newPool(int threads) {
        return new ForkJoinPool(threads, pool -> {
            var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            t.setName("ember-cpu-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }
}
