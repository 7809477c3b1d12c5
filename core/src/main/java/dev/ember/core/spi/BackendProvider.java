package dev.ember.core.spi;

import java.util.Map;
import java.util.Set;

/**
 * Entry point of a backend module, registered in {@code META-INF/services/dev.ember.core.spi.BackendProvider}
 * and found with {@link java.util.ServiceLoader}.
 *
 * <p>A backend may take options (the CPU backend's {@code threads}, OpenCL's {@code device}). Each
 * option's default is the system property {@code ember.NAME.OPTION}; read them all through
 * {@link BackendOptions} so that a property and an explicit value are parsed by the same code.
 */
public interface BackendProvider {
    /** Stable lower-case name used by {@code -Dember.backend}: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /** The option names {@link #create(Map)} accepts; none by default. */
    default Set<String> options() {
        return Set.of();
    }

    /**
     * Checks whether the backend can run here, with its options at their defaults. Never throws:
     * a machine that cannot run it (every failure, including a {@link LinkageError} from native
     * code) is {@link Probe#unavailable} with the real message; an invalid option default (a bad
     * system property) is {@link Probe#misconfigured} with the {@link InvalidOptionException}'s message.
     */
    Probe probe();

    /**
     * Creates a new backend with the given options (names from {@link #options()}; an absent one
     * takes its default). Only called after a probe that was not unavailable.
     *
     * @throws InvalidOptionException if a value is bad, before anything is allocated or started
     */
    Backend create(Map<String, String> options);

    /** Creates a backend with every option at its default. */
    default Backend create() {
        return create(Map.of());
    }
}
