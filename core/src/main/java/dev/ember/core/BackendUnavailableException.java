package dev.ember.core;

/**
 * A backend was asked for and cannot be used: unknown, unavailable here, misconfigured, or given a
 * bad option. The message says which and, for a lookup by name or {@code auto}, lists every provider
 * and its reason.
 */
public final class BackendUnavailableException extends IllegalStateException {
    public BackendUnavailableException(String message) {
        super(message);
    }

    public BackendUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
