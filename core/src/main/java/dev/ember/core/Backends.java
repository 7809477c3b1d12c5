package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendProvider;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backend providers with {@link ServiceLoader} and chooses one.
 *
 * <p>The choice comes from the system property {@code ember.backend}, else the environment variable
 * {@code EMBER_BACKEND}, else {@code auto}. {@code auto} takes the available provider with the highest
 * priority. A name that is unknown or unavailable is an error listing every provider and its reason:
 * Ember never silently falls back to another backend.
 */
public final class Backends {
    public static final String PROPERTY = "ember.backend";
    public static final String ENVIRONMENT = "EMBER_BACKEND";
    public static final String AUTO = "auto";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final Map<String, Backend> INSTANCES = new ConcurrentHashMap<>();
    private static volatile List<BackendStatus> statuses;
    private static volatile Backend selected;

    private Backends() {
    }

    /** Every provider on the class path with its probe result, highest priority first (probed once). */
    public static List<BackendStatus> statuses() {
        List<BackendStatus> s = statuses;
        if (s == null) {
            synchronized (Backends.class) {
                if (statuses == null) {
                    statuses = discover();
                }
                s = statuses;
            }
        }
        return s;
    }

    private static List<BackendStatus> discover() {
        List<BackendStatus> found = new ArrayList<>();
        for (BackendProvider provider : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            found.add(new BackendStatus(provider.name(), provider.probe(), provider));
        }
        return byPriority(found);
    }

    /** Highest priority first, ties by name (package-private so the ordering can be tested without providers). */
    static List<BackendStatus> byPriority(List<BackendStatus> found) {
        List<BackendStatus> sorted = new ArrayList<>(found);
        sorted.sort(Comparator.comparingInt((BackendStatus s) -> s.probe().priority()).reversed()
                .thenComparing(BackendStatus::name));
        return List.copyOf(sorted);
    }

    /** The name requested by configuration: property, then environment, then {@code auto}. */
    public static String requestedName() {
        String name = System.getProperty(PROPERTY);
        if (name == null || name.isBlank()) {
            name = System.getenv(ENVIRONMENT);
        }
        return name == null || name.isBlank() ? AUTO : name.trim().toLowerCase(Locale.ROOT);
    }

    /** The status {@code auto} would pick, if any backend is available. */
    public static Optional<BackendStatus> autoChoice() {
        return statuses().stream().filter(BackendStatus::available).findFirst();
    }

    /** The process-wide default backend, chosen by configuration on first use and logged once. */
    public static Backend get() {
        Backend b = selected;
        if (b == null) {
            synchronized (Backends.class) {
                if (selected == null) {
                    selected = byName(requestedName());
                    logChoice(selected);
                }
                b = selected;
            }
        }
        return b;
    }

    /**
     * The shared instance of the named backend ({@code auto} allowed).
     *
     * @throws BackendUnavailableException if the name is unknown or the backend cannot run here
     */
    public static Backend byName(String name) {
        BackendStatus status = choose(statuses(), name);
        return INSTANCES.computeIfAbsent(status.name(), n -> status.provider().create());
    }

    /**
     * The selection rule behind {@link #byName}: {@code auto} takes the first available status (the
     * list is ordered by priority), any other name must match an available provider. Package-private
     * so the rule can be tested with hand-made statuses, without registering providers.
     */
    static BackendStatus choose(List<BackendStatus> statuses, String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(AUTO)) {
            return statuses.stream().filter(BackendStatus::available).findFirst()
                    .orElseThrow(() -> unavailable("no backend is available", statuses));
        }
        BackendStatus status = statuses.stream().filter(s -> s.name().equals(wanted)).findFirst()
                .orElseThrow(() -> unavailable("unknown backend '" + name + "'", statuses));
        if (!status.available()) {
            throw unavailable("backend '" + wanted + "' is unavailable: " + status.probe().reason(), statuses);
        }
        return status;
    }

    private static BackendUnavailableException unavailable(String what, List<BackendStatus> statuses) {
        StringBuilder sb = new StringBuilder(what).append(". Backends found:");
        if (statuses.isEmpty()) {
            sb.append(" none (is a backend module such as ember-backend-cpu on the class path?)");
        }
        for (BackendStatus s : statuses) {
            sb.append("\n  ").append(s.describe());
        }
        sb.append("\nChoose one with -D").append(PROPERTY).append("=NAME (or ").append(ENVIRONMENT)
                .append("); 'auto' picks the best available.");
        return new BackendUnavailableException(sb.toString());
    }

    private static void logChoice(Backend chosen) {
        StringBuilder sb = new StringBuilder("ember: using backend '").append(chosen.name()).append("' (")
                .append(chosen.device()).append(")");
        for (BackendStatus s : statuses()) {
            if (!s.name().equals(chosen.name())) {
                sb.append("; ").append(s.describe());
            }
        }
        LOG.log(System.Logger.Level.INFO, sb.toString());
    }
}
