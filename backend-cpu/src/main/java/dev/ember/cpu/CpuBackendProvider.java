package dev.ember.cpu;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.Probe;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/** The always-available CPU backend. Priority 50: above an OpenCL CPU device, below GPUs. */
public final class CpuBackendProvider implements BackendProvider {
    public static final int PRIORITY = 50;

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Probe probe() {
        try {
            int threads = CpuThreads.configured();
            return Probe.available(describe(threads), PRIORITY);
        } catch (IllegalArgumentException badConfiguration) {
            return Probe.unavailable(badConfiguration.getMessage(), PRIORITY);
        } catch (LinkageError e) { // the Vector API module is missing from the JVM
            return Probe.unavailable(e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (run the JVM with --add-modules jdk.incubator.vector)", PRIORITY);
        }
    }

    @Override
    public Backend create() {
        return new CpuBackend(CpuThreads.configured());
    }

    static String describe(int threads) {
        return "Vector API " + FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit ("
                + FloatVector.SPECIES_PREFERRED.length() + " x F32, " + DoubleVector.SPECIES_PREFERRED.length()
                + " x F64), " + threads + " thread" + (threads == 1 ? "" : "s");
    }
}
