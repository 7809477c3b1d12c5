package dev.ember.core;

/** A backend was asked for by name and cannot be used; the message lists every provider and why. */
public final class BackendUnavailableException extends IllegalStateException {
    public BackendUnavailableException(String message) {
        super(message);
    }
}
