package dev.ember.cpu;

import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.InvalidOptionException;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.cpu.kernels.Parallel;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The CPU backend's options, each defaulting to its system property: {@code threads}
 * ({@code -Dember.cpu.threads}, default all processors) and {@code spinMicros}
 * ({@code -Dember.cpu.spinMicros}, default 100: how long an idle helper thread spins before parking;
 * 0 where a spinning core costs more than a wake-up) and {@code memoryLimit} ({@link MemoryLimit}).
 */
record CpuOptions(int threads, long spinNanos, MemoryLimit memoryLimit) {
    static final String THREADS = "threads";
    static final String SPIN_MICROS = "spinMicros";
    static final Set<String> NAMES = Set.of(THREADS, SPIN_MICROS, MemoryLimit.OPTION);

    /**
     * Reads the options from {@code given}, else their properties.
     *
     * @throws InvalidOptionException naming the option and its value if one is unknown or bad
     */
    static CpuOptions parse(Map<String, String> given) {
        BackendOptions options = BackendOptions.of(CpuBackendProvider.NAME, NAMES, given);
        int threads = options.positiveInt(THREADS, Runtime.getRuntime().availableProcessors());
        long spinMicros = options.nonNegativeLong(SPIN_MICROS,
                TimeUnit.NANOSECONDS.toMicros(Parallel.DEFAULT_SPIN_NANOS));
        return new CpuOptions(threads, TimeUnit.MICROSECONDS.toNanos(spinMicros), MemoryLimit.of(options));
    }
}
