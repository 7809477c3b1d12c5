package dev.ember.cli;

import dev.ember.cli.InfoReport.BackendInfo;
import dev.ember.cli.InfoReport.JavaInfo;
import dev.ember.cli.InfoReport.Species;
import dev.ember.cli.InfoReport.VectorInfo;
import dev.ember.core.BackendStatus;
import dev.ember.core.BackendUnavailableException;
import dev.ember.core.Backends;
import dev.ember.cpu.CpuThreads;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.util.List;
import java.util.Optional;

/** Gathers what {@code ember info} shows: the JVM, the Vector API, threads and the backend providers. */
final class SystemReport {
    private SystemReport() {
    }

    /** Probes every provider (without instantiating the backends) and describes this JVM. */
    static InfoReport gather() {
        List<BackendStatus> statuses = Backends.statuses();
        List<BackendInfo> backends = statuses.stream().map(SystemReport::backend).toList();
        String selected = Backends.autoChoice().map(BackendStatus::name).orElse(null);
        String requested = Backends.requestedName();
        return new InfoReport(EmberCommand.version(), java(), vector(), threads(),
                Runtime.getRuntime().availableProcessors(), backends, requested, selected,
                requestError(requested, statuses).orElse(null), null, null);
    }

    static JavaInfo java() {
        return new JavaInfo(System.getProperty("java.runtime.version", Runtime.version().toString()),
                System.getProperty("java.vendor"), System.getProperty("java.vm.name"),
                System.getProperty("java.home"));
    }

    /** The preferred species; a JVM without the incubator module gets a reason instead of a crash. */
    static VectorInfo vector() {
        try {
            return new VectorInfo(true,
                    new Species(FloatVector.SPECIES_PREFERRED.vectorBitSize(), FloatVector.SPECIES_PREFERRED.length()),
                    new Species(DoubleVector.SPECIES_PREFERRED.vectorBitSize(), DoubleVector.SPECIES_PREFERRED.length()),
                    null);
        } catch (LinkageError e) {
            return new VectorInfo(false, null, null, EmberCommand.describe(e)
                    + " (start the JVM with --add-modules jdk.incubator.vector; ./ember does)");
        }
    }

    /** The CPU backend's thread count ({@code -Dember.cpu.threads}, default all processors); null if misconfigured. */
    static Integer threads() {
        try {
            return CpuThreads.configured();
        } catch (IllegalArgumentException e) {
            return null; // the cpu provider's probe reports the message
        }
    }

    private static BackendInfo backend(BackendStatus s) {
        String device = s.probe().device();
        return new BackendInfo(s.name(), s.available(), s.probe().reason(), s.probe().priority(),
                device == null || device.isEmpty() ? null : device, null);
    }

    /**
     * Why the configured backend cannot be used, with the core's own message (which lists every
     * provider); empty when it can. Only an unknown or unavailable backend is ever looked up by
     * name, so nothing is instantiated here.
     */
    static Optional<String> requestError(String requested, List<BackendStatus> statuses) {
        boolean usable = requested.equals(Backends.AUTO)
                ? statuses.stream().anyMatch(BackendStatus::available)
                : statuses.stream().anyMatch(s -> s.name().equals(requested) && s.available());
        if (usable) {
            return Optional.empty();
        }
        try {
            Backends.byName(requested);
            return Optional.empty();
        } catch (BackendUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }
}
