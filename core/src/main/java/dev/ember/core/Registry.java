package dev.ember.core;

import dev.ember.core.spi.BackendProvider;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers {@link Backends} may use: those found, limited to the names {@code -Dember.backends}
 * lists, each probed at most once and only when first needed, so a request by name probes that
 * provider alone. A provider left out is never probed. Thread-safe.
 */
final class Registry {
    private final List<BackendProvider> providers;
    private final Map<String, BackendStatus> probed = new ConcurrentHashMap<>();
    private volatile List<BackendStatus> all;

    /**
     * @param found the providers on the class path
     * @param only  the {@code ember.backends} list (comma-separated names), or null/blank for all
     * @throws BackendUnavailableException if {@code only} names a backend no provider has
     */
    Registry(List<BackendProvider> found, String only) {
        this.providers = List.copyOf(limit(found, only));
    }

    private static List<BackendProvider> limit(List<BackendProvider> found, String only) {
        if (only == null || only.isBlank()) {
            return found;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : only.split(",")) {
            if (!name.isBlank()) {
                wanted.add(name.trim().toLowerCase(Locale.ROOT));
            }
        }
        List<String> names = found.stream().map(BackendProvider::name).toList();
        for (String name : wanted) {
            if (!names.contains(name)) {
                throw new BackendUnavailableException("-D" + Backends.ONLY_PROPERTY + " (or " + Backends.ONLY_ENVIRONMENT
                        + ") names backend '" + name + "', which no provider has; providers found: "
                        + (names.isEmpty() ? "none" : String.join(", ", names)));
            }
        }
        return found.stream().filter(p -> wanted.contains(p.name())).toList();
    }

    /** Every provider's status, highest priority first; probes those not probed yet. */
    List<BackendStatus> statuses() {
        List<BackendStatus> s = all;
        if (s == null) {
            List<BackendStatus> found = new ArrayList<>();
            for (BackendProvider p : providers) {
                found.add(probe(p));
            }
            s = Backends.byPriority(found);
            all = s;
        }
        return s;
    }

    /** The named provider's status, probing that provider alone; empty if no provider has the name. */
    Optional<BackendStatus> status(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst().map(this::probe);
    }

    /** The statuses probed so far, highest priority first (for logging without probing more). */
    List<BackendStatus> probedSoFar() {
        return Backends.byPriority(List.copyOf(probed.values()));
    }

    private BackendStatus probe(BackendProvider p) {
        return probed.computeIfAbsent(p.name(), n -> new BackendStatus(n, p.probe(), p));
    }
}
