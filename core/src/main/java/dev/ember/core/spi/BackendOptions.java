package dev.ember.core.spi;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The options a backend is created with, as its provider reads them. An option's value is the one
 * passed to {@code Backends.open}, else the system property {@code ember.BACKEND.OPTION}, else
 * absent (the backend's own default). So {@code -Dember.cpu.threads=4} and
 * {@code Map.of("threads", "4")} are one setting with one parser, and every bad value gets the same
 * one-line {@link InvalidOptionException}. A blank value counts as absent, as an empty property
 * always has. Immutable.
 */
public final class BackendOptions {
    private final String backend;
    private final Set<String> accepted;
    private final Map<String, String> given;

    private BackendOptions(String backend, Set<String> accepted, Map<String, String> given) {
        this.backend = backend;
        this.accepted = accepted;
        this.given = given;
    }

    /**
     * The options of {@code backend}, which accepts the names in {@code accepted}.
     *
     * @throws InvalidOptionException if {@code given} names an option not in {@code accepted}
     */
    public static BackendOptions of(String backend, Set<String> accepted, Map<String, String> given) {
        check(backend, accepted, given);
        return new BackendOptions(backend, Set.copyOf(accepted), Map.copyOf(given));
    }

    /**
     * Checks the option names only, before anything is created.
     *
     * @throws InvalidOptionException naming the first unknown option (or null value) and the valid ones
     */
    public static void check(String backend, Set<String> accepted, Map<String, String> given) {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(given).entrySet()) {
            if (!accepted.contains(e.getKey())) {
                throw new InvalidOptionException("backend '" + backend + "': unknown option " + e.getKey() + "='"
                        + e.getValue() + "'; " + valid(accepted));
            }
            if (e.getValue() == null) {
                throw new InvalidOptionException("backend '" + backend + "': option " + e.getKey()
                        + " has no value; " + valid(accepted));
            }
        }
    }

    /** The system property that gives {@code option} its default: {@code ember.BACKEND.OPTION}. */
    public static String property(String backend, String option) {
        return "ember." + backend + "." + option;
    }

    /** The option's value, trimmed: given explicitly, else from its system property; empty when neither sets it. */
    public Optional<String> value(String option) {
        if (!accepted.contains(option)) {
            throw new IllegalArgumentException("backend '" + backend + "' reads option '" + option
                    + "' but does not declare it; " + valid(accepted));
        }
        String v = given.get(option);
        if (v == null || v.isBlank()) {
            v = System.getProperty(property(backend, option));
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** An option that must be an integer of at least 1; {@code fallback} when unset. */
    public int positiveInt(String option, int fallback) {
        Optional<String> v = value(option);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the option and its source
        }
        throw invalid(option, "must be a positive integer");
    }

    /** An option that must be an integer of at least 0; {@code fallback} when unset. */
    public long nonNegativeLong(String option, long fallback) {
        Optional<String> v = value(option);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the option and its source
        }
        throw invalid(option, "must be an integer >= 0");
    }

    /**
     * The error for the option's current value breaking {@code rule}, e.g. {@code backend 'cpu': option
     * threads='0' (from -Dember.cpu.threads) must be a positive integer; valid options: spinMicros, threads}.
     */
    public InvalidOptionException invalid(String option, String rule) {
        String explicit = given.get(option);
        boolean fromProperty = explicit == null || explicit.isBlank();
        String shown = value(option).orElse("");
        return new InvalidOptionException("backend '" + backend + "': option " + option + "='" + shown + "'"
                + (fromProperty ? " (from -D" + property(backend, option) + ")" : "") + " " + rule + "; "
                + valid(accepted));
    }

    private static String valid(Set<String> accepted) {
        return "valid options: " + (accepted.isEmpty() ? "none" : String.join(", ", new TreeSet<>(accepted)));
    }
}
