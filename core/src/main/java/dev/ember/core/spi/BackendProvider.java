package dev.ember.core.spi;

/**
 * Entry point of a backend module, registered in {@code META-INF/services/dev.ember.core.spi.BackendProvider}
 * and found with {@link java.util.ServiceLoader}.
 */
public interface BackendProvider {
    /** Stable lower-case name used by {@code -Dember.backend}: {@code cpu}, {@code opencl}, {@code cuda}. */
    String name();

    /**
     * Checks whether the backend can run here. Never throws: every failure, including a
     * {@link LinkageError} from native code, becomes an unavailable probe with the real message.
     */
    Probe probe();

    /** Creates a backend instance; only called after an available probe. */
    Backend create();
}
