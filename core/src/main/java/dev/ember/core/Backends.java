package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.InvalidOptionException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds backend providers with {@link ServiceLoader} and chooses one.
 *
 * <p>The choice comes from the system property {@code ember.backend}, else the environment variable
 * {@code EMBER_BACKEND}, else {@code auto}. {@code auto} takes the available provider with the highest
 * priority. A name that is unknown or unavailable is an error listing every provider and its reason:
 * Ember never silently falls back to another backend. A misconfigured provider (a bad option default,
 * such as {@code -Dember.cpu.threads=0}) is an error for {@code auto} too, never a reason to choose another.
 *
 * <p>{@code ember.backends} (else {@code EMBER_BACKENDS}), a comma-separated list of names, limits the
 * providers used: the others are never probed. A request by name probes only that provider.
 *
 * <p>{@link #byName} and {@link #get} return shared instances; {@link #open} creates a new one, with
 * options, that the caller owns and closes.
 */
public final class Backends {
    public static final String PROPERTY = "ember.backend";
    public static final String ENVIRONMENT = "EMBER_BACKEND";
    /** Limits which providers are probed and used: comma-separated names. */
    public static final String ONLY_PROPERTY = "ember.backends";
    public static final String ONLY_ENVIRONMENT = "EMBER_BACKENDS";
    public static final String AUTO = "auto";

    private static final System.Logger LOG = System.getLogger(Backends.class.getName());
    private static final Map<String, Backend> INSTANCES = new ConcurrentHashMap<>();
    private static volatile Registry registry;
    private static volatile Backend selected;

    private Backends() {
    }

    private static Registry registry() {
        Registry r = registry;
        if (r == null) {
            synchronized (Backends.class) {
                if (registry == null) {
                    List<BackendProvider> found = new ArrayList<>();
                    ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()).forEach(found::add);
                    registry = new Registry(found, configured(ONLY_PROPERTY, ONLY_ENVIRONMENT));
                }
                r = registry;
            }
        }
        return r;
    }

    /**
     * Every provider on the class path (limited by {@code ember.backends}) with its probe result, highest
     * priority first (each probed once).
     *
     * @throws BackendUnavailableException if {@code ember.backends} names a backend no provider has
     */
    public static List<BackendStatus> statuses() {
        return registry().statuses();
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
        String name = configured(PROPERTY, ENVIRONMENT);
        return name == null ? AUTO : name.trim().toLowerCase(Locale.ROOT);
    }

    /** The system property, else the environment variable; null when both are unset or blank. */
    private static String configured(String property, String environment) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(environment);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** The status {@code auto} would pick; empty if none is available or one is misconfigured. */
    public static Optional<BackendStatus> autoChoice() {
        try {
            return Optional.of(choose(statuses(), AUTO));
        } catch (BackendUnavailableException e) {
            return Optional.empty();
        }
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
     * The shared instance of the named backend ({@code auto} allowed), with its options at their
     * defaults. Do not close it.
     *
     * @throws BackendUnavailableException if the name is unknown or the backend cannot run here or is misconfigured
     */
    public static Backend byName(String name) {
        BackendStatus status = resolve(name);
        Backend shared = INSTANCES.get(status.name());
        if (shared != null) {
            return shared;
        }
        // created outside the map's lock: a slow device start must not block other names, and a
        // provider may itself look a backend up; if two threads race, the loser's instance is closed
        Backend created = status.provider().create();
        Backend winner = INSTANCES.putIfAbsent(status.name(), created);
        if (winner != null) {
            created.close();
            return winner;
        }
        return created;
    }

    /**
     * The status of the backend {@link #byName} would return, without creating it.
     *
     * @throws BackendUnavailableException as {@link #byName} does
     */
    public static BackendStatus resolve(String name) {
        return resolve(name, false);
    }

    /**
     * A new instance of the named backend ({@code auto} allowed) created with {@code options}, which
     * override the options' system-property defaults: {@code open("cpu", Map.of("threads", "1"))}. The
     * caller owns it and must close it.
     *
     * @throws BackendUnavailableException if the backend is unknown or cannot run here, or an option is
     *                                     unknown or has a bad value (one line naming the backend, the
     *                                     option, the value and the valid options), before anything is created
     */
    public static Backend open(String name, Map<String, String> options) {
        BackendStatus status = resolve(name, true);
        BackendProvider provider = status.provider();
        try {
            BackendOptions.check(status.name(), provider.options(), options);
            return provider.create(Map.copyOf(options));
        } catch (InvalidOptionException e) {
            throw new BackendUnavailableException(e.getMessage(), e);
        }
    }

    /**
     * The option names the named backend accepts in {@link #open}.
     *
     * @throws BackendUnavailableException if the name is unknown or the backend cannot run here
     */
    public static Set<String> options(String name) {
        return resolve(name, true).provider().options();
    }

    /**
     * A request by name probes only that provider when it can be used; otherwise (and for
     * {@code auto}) the rule runs over every status, so an error lists them all. {@link #open} accepts a
     * misconfigured provider: its explicit options may replace the bad default, and creating it
     * reports the bad value otherwise.
     */
    private static BackendStatus resolve(String name, boolean misconfiguredAllowed) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (!wanted.equals(AUTO)) {
            Optional<BackendStatus> one = registry().status(wanted);
            if (one.isPresent() && (one.get().available() || misconfiguredAllowed && one.get().misconfigured())) {
                return one.get();
            }
        }
        return choose(statuses(), wanted);
    }

    /**
     * The selection rule behind {@link #byName}: {@code auto} takes the first available status (the
     * list is ordered by priority) unless a provider is misconfigured; any other name must match an
     * available provider. Package-private so the rule can be tested with hand-made statuses, without
     * registering providers.
     */
    static BackendStatus choose(List<BackendStatus> statuses, String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(AUTO)) {
            Optional<BackendStatus> misconfigured = statuses.stream().filter(BackendStatus::misconfigured).findFirst();
            if (misconfigured.isPresent()) {
                throw unavailable("backend '" + misconfigured.get().name() + "' is misconfigured, so 'auto' will not"
                        + " choose (fix the setting, or list the backends to use with -D" + ONLY_PROPERTY + "): "
                        + misconfigured.get().probe().reason(), statuses);
            }
            return statuses.stream().filter(BackendStatus::available).findFirst()
                    .orElseThrow(() -> unavailable("no backend is available", statuses));
        }
        BackendStatus status = statuses.stream().filter(s -> s.name().equals(wanted)).findFirst()
                .orElseThrow(() -> unavailable("unknown backend '" + name + "'", statuses));
        if (!status.available()) {
            throw unavailable("backend '" + wanted + "' is " + (status.misconfigured() ? "misconfigured" : "unavailable")
                    + ": " + status.probe().reason(), statuses);
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
        String only = configured(ONLY_PROPERTY, ONLY_ENVIRONMENT);
        if (only != null) {
            sb.append("\nOnly the backends named by -D").append(ONLY_PROPERTY).append(" (or ").append(ONLY_ENVIRONMENT)
                    .append(") were looked at: ").append(only.trim());
        }
        sb.append("\nChoose one with -D").append(PROPERTY).append("=NAME (or ").append(ENVIRONMENT)
                .append("); 'auto' picks the best available.");
        return new BackendUnavailableException(sb.toString());
    }

    private static void logChoice(Backend chosen) {
        StringBuilder sb = new StringBuilder("ember: using backend '").append(chosen.name()).append("' (")
                .append(chosen.device()).append(")");
        for (BackendStatus s : registry().probedSoFar()) {
            if (!s.name().equals(chosen.name())) {
                sb.append("; ").append(s.describe());
            }
        }
        LOG.log(System.Logger.Level.INFO, sb.toString());
    }
}
