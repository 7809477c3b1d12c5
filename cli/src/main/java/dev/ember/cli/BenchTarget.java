package dev.ember.cli;

import dev.ember.core.Backends;
import picocli.CommandLine.Option;

/** The options every {@code ember bench} command shares: which backend it measures and how it reports. */
final class BenchTarget {
    @Option(names = "--backend", description = "Backend to measure (default: the configured one, as 'auto' would pick).")
    String backend;

    @Option(names = "--json", description = "Print the results as one JSON object on stdout.")
    boolean json;

    /**
     * The backend asked for, else the configured one ({@code auto} resolved), checked before any
     * work: an unknown or unavailable name fails here, listing every backend, not after the peak
     * measurement.
     */
    String backendName() {
        return Backends.resolve(backend != null ? backend : Backends.requestedName()).name();
    }
}
