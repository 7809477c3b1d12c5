package dev.ember.bench;

import dev.ember.core.Backends;
import dev.ember.core.spi.Backend;
import dev.ember.cpu.CpuBackend;

/**
 * Opens the backend a benchmark measures. The CPU backend gets a private instance with exactly the
 * requested thread count, so 1-thread and all-thread figures come from one JVM; other backends are
 * the shared instances from discovery (their parallelism is the device's).
 */
public final class BenchBackends {
    private BenchBackends() {
    }

    public static Backend open(String name, int threads) {
        if (name.equals("cpu")) {
            return new CpuBackend(threads);
        }
        return Backends.byName(name);
    }

    /** Closes what {@link #open} created privately; shared instances stay open. */
    public static void release(Backend backend) {
        if (backend instanceof CpuBackend) {
            backend.close();
        }
    }
}
