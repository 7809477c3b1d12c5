package dev.ember.bench;

import dev.ember.core.Backends;
import dev.ember.core.spi.Backend;

import java.util.Map;

/**
 * Opens the backend a benchmark measures: a new instance that the benchmark owns and closes. A
 * backend with a {@code threads} option (the CPU) gets exactly the requested count, so 1-thread and
 * all-thread figures come from one JVM; the others ignore the count (their parallelism is the device's).
 */
public final class BenchBackends {
    /** The backend option that sets a thread count. */
    static final String THREADS = "threads";

    private BenchBackends() {
    }

    public static Backend open(String name, int threads) {
        Map<String, String> options = Backends.options(name).contains(THREADS)
                ? Map.of(THREADS, Integer.toString(threads)) : Map.of();
        return Backends.open(name, options);
    }
}
