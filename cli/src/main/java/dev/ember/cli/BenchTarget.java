package dev.ember.cli;

import dev.ember.core.Backends;
import picocli.CommandLine.Option;

/** The options every {@code ember bench} command shares: which backend it measures and how it reports. */
final class BenchTarget {
    @Option(names = "--backend", description = "Backend to measure (default: the configured one, as 'auto' would pick).")
    String backend;

    @Option(names = "--json", description = "Print the results as one JSON object on stdout.")
    boolean json;

    /** The backend asked for, else the one {@code auto} (or the configured name) resolves to. */
    String backendName() {
        return backend != null ? backend : Backends.resolve(Backends.requestedName()).name();
    }
}
