package dev.ember.cpu;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.InvalidOptionException;
import dev.ember.core.spi.Probe;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.util.Map;
import java.util.Set;

/**
 * The always-available CPU backend. Priority 50: above an OpenCL CPU device, below GPUs. Options:
 * {@code threads}, {@code spinMicros} and {@code memoryLimit} ({@link CpuOptions}).
 */
public final class CpuBackendProvider implements BackendProvider {
    public static final String NAME = "cpu";
    public static final int PRIORITY = 50;

    /** For {@link java.util.ServiceLoader}, which finds the provider on the module or class path. */
    public CpuBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> options() {
        return CpuOptions.NAMES;
    }

    @Override
    public Probe probe() {
        try {
            CpuOptions options = CpuOptions.parse(Map.of());
            return Probe.available(describe(options.threads()), PRIORITY);
        } catch (InvalidOptionException badConfiguration) {
            return Probe.misconfigured(badConfiguration.getMessage(), PRIORITY);
        } catch (LinkageError e) { // the Vector API module is missing from the JVM
            return Probe.unavailable(e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (run the JVM with --add-modules jdk.incubator.vector)", PRIORITY);
        }
    }

    @Override
    public Backend create(Map<String, String> options) {
        CpuOptions parsed = CpuOptions.parse(options);
        return new CpuBackend(parsed.threads(), parsed.spinNanos(), parsed.memoryLimit());
    }

    static String describe(int threads) {
        return "Vector API " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit ("
                + FloatVector.SPECIES_PREFERRED.length() + " x F32, " + DoubleVector.SPECIES_PREFERRED.length()
                + " x F64), " + threads + " thread" + (threads == 1 ? "" : "s");
    }
}
