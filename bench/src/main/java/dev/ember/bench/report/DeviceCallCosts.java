package dev.ember.bench.report;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

import java.util.Locale;
import java.util.Map;

/**
 * What one call costs a backend from the host, for steps of small kernels: an enqueued kernel (a
 * one-element fill, timed over many calls between two synchronisations), a small write, a small
 * read, and a synchronisation of an idle device. Each figure is the median of rounds.
 *
 * <p>{@code java -cp ember-cli.jar dev.ember.bench.report.DeviceCallCosts [backend]}
 */
public final class DeviceCallCosts {
    private static final int CALLS = 20_000;
    private static final int ROUNDS = 7;

    private DeviceCallCosts() {
    }

    public static void main(String[] args) {
        String name = args.length > 0 ? args[0] : "cuda";
        try (Backend backend = Backends.open(name, Map.of())) {
            DeviceBuffer buffer = backend.allocate(DType.F32, 64);
            Span span = new Span(buffer, 0);
            float[] host = new float[64];
            System.out.println(backend.name() + ": " + backend.device());
            report("kernel launch (fill of 1 element), enqueued", () -> backend.fill(span, 1, 1.0), backend, true);
            report("write of 64 floats", () -> backend.write(span, host, 0, 64), backend, false);
            report("read of 64 floats", () -> backend.read(span, host, 0, 64), backend, false);
            report("synchronize, idle", backend::synchronize, backend, false);
            backend.free(buffer);
        }
    }

    private static void report(String what, Runnable call, Backend backend, boolean syncAfter) {
        double[] rounds = new double[ROUNDS];
        for (int r = -2; r < ROUNDS; r++) {   // two rounds of warm-up
            backend.synchronize();
            long t0 = System.nanoTime();
            for (int i = 0; i < CALLS; i++) {
                call.run();
            }
            if (syncAfter) {
                backend.synchronize();
            }
            if (r >= 0) {
                rounds[r] = (System.nanoTime() - t0) * 1e-3 / CALLS;
            }
        }
        System.out.printf(Locale.ROOT, "  %-46s %8.2f us per call%n", what, Timing.median(rounds));
    }
}
