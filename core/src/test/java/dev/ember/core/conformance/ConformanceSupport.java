package dev.ember.core.conformance;

import dev.ember.core.BackendStatus;
import dev.ember.core.Backends;
import dev.ember.core.Scope;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Resolves the backend under test once per JVM and decides whether a missing backend skips the suite
 * (with the probe's reason) or fails it ({@code -Dember.require=cpu,opencl}).
 */
public final class ConformanceSupport {
    /** Comma-separated backend names that must be present: a missing one fails instead of skipping. */
    public static final String REQUIRE_PROPERTY = "ember.require";

    private static final Map<String, Resolution> RESOLVED = new ConcurrentHashMap<>();
    private static final ThreadLocal<Scope> TEST_SCOPE = new ThreadLocal<>();

    private ConformanceSupport() {
    }

    /** A usable backend, or why there is none. */
    record Resolution(Backend backend, String reason) {
    }

    static Resolution resolve(String name) {
        return RESOLVED.computeIfAbsent(normalize(name), ConformanceSupport::probe);
    }

    private static String normalize(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalStateException("conformance: backendName() must return a provider name such as 'cpu'");
        }
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static Resolution probe(String name) {
        List<BackendStatus> statuses;
        try {
            statuses = Backends.statuses();
        } catch (RuntimeException | LinkageError e) {
            return new Resolution(null, "backend discovery failed: " + e);
        }
        Optional<BackendStatus> status = statuses.stream().filter(s -> s.name().equals(name)).findFirst();
        if (status.isEmpty()) {
            return new Resolution(null, "no provider named '" + name + "' on the class path (found: "
                    + (statuses.isEmpty() ? "none" : statuses.stream().map(BackendStatus::describe)
                    .collect(Collectors.joining("; "))) + ")");
        }
        if (!status.get().available()) {
            return new Resolution(null, "backend '" + name + "' is "
                    + status.get().probe().state().name().toLowerCase(Locale.ROOT) + ": " + status.get().probe().reason());
        }
        try {
            return new Resolution(Backends.byName(name), null);
        } catch (RuntimeException | LinkageError e) {
            return new Resolution(null, "backend '" + name + "' probed available but failed to start: " + e);
        }
    }

    /** The names listed in {@code -Dember.require}. */
    public static Set<String> required() {
        String value = System.getProperty(REQUIRE_PROPERTY, "");
        return Arrays.stream(value.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The backends a suite parameterised over backends runs on: every provider discovered on the class
     * path (available or not, highest priority first), then each required one that was not discovered, so
     * that {@link #requireOrSkip} fails it instead of it silently dropping out of the run.
     */
    public static List<String> underTest() {
        return underTest(Backends.statuses().stream().map(BackendStatus::name).toList(), required());
    }

    /** {@link #underTest()} for given discovered and required names (the rule, testable without providers). */
    static List<String> underTest(List<String> discovered, Collection<String> required) {
        Set<String> names = new LinkedHashSet<>();
        discovered.forEach(n -> names.add(normalize(n)));
        required.stream().map(ConformanceSupport::normalize).sorted().forEach(names::add);
        return List.copyOf(names);
    }

    /** Skips the current test with the probe's reason, or fails it when the backend is required. */
    public static void requireOrSkip(String name) {
        Resolution r = resolve(name);
        if (r.backend() != null) {
            return;
        }
        String wanted = normalize(name);
        if (required().contains(wanted)) {
            Assertions.fail("backend '" + wanted + "' is required (-D" + REQUIRE_PROPERTY + "="
                    + System.getProperty(REQUIRE_PROPERTY) + ") but cannot be used: " + r.reason());
        }
        Assumptions.abort("skipping conformance for '" + wanted + "': " + r.reason());
    }

    /** The shared backend instance (the same one {@link Backends#byName} hands out). */
    public static Backend backend(String name) {
        Resolution r = resolve(name);
        if (r.backend() == null) {
            throw new IllegalStateException("conformance: backend '" + name + "' is not usable: " + r.reason());
        }
        return r.backend();
    }

    /** Opens the scope that frees every tensor a test creates. */
    static void openTestScope() {
        closeTestScope();
        TEST_SCOPE.set(Scope.open());
    }

    static void closeTestScope() {
        Scope scope = TEST_SCOPE.get();
        if (scope != null) {
            TEST_SCOPE.remove();
            scope.close();
        }
    }
}
