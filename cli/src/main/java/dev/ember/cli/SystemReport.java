package dev.ember.cli;

import dev.ember.cli.InfoReport.BackendInfo;
import dev.ember.cli.InfoReport.JavaInfo;
import dev.ember.cli.InfoReport.Species;
import dev.ember.cli.InfoReport.VectorInfo;
import dev.ember.core.BackendStatus;
import dev.ember.core.BackendUnavailableException;
import dev.ember.core.Backends;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/** Gathers what {@code ember info} shows: the JVM, the Vector API, the processors and the backend providers. */
final class SystemReport {
    private SystemReport() {
    }

    /** Probes every provider (without instantiating the backends) and describes this JVM. */
    static InfoReport gather() {
        List<BackendStatus> statuses = Backends.statuses();
        List<BackendInfo> backends = statuses.stream().map(SystemReport::backend).toList();
        String selected = Backends.autoChoice().map(BackendStatus::name).orElse(null);
        String requested = Backends.requestedName();
        return new InfoReport(EmberCommand.version(), java(), vector(),
                Runtime.getRuntime().availableProcessors(), backends, requested, selected,
                requestError(requested).orElse(null), null, null);
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

    private static BackendInfo backend(BackendStatus s) {
        String device = s.probe().device();
        return new BackendInfo(s.name(), s.available(), s.probe().state().name().toLowerCase(Locale.ROOT),
                s.probe().reason(), s.probe().priority(), device == null || device.isEmpty() ? null : device,
                new TreeSet<>(s.provider().options()).stream().toList(), null);
    }

    /**
     * Why the configured backend cannot be used, with the core's own message (which lists every
     * provider); empty when it can. Nothing is instantiated here.
     */
    static Optional<String> requestError(String requested) {
        try {
            Backends.resolve(requested);
            return Optional.empty();
        } catch (BackendUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }
}
