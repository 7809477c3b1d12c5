package dev.ember.core.spi;

/**
 * A backend option that does not exist or has a bad value; the one-line message names the backend,
 * the option, the value (and the system property it came from) and lists the valid options. Made by
 * {@link BackendOptions}; a probe turns it into {@link Probe#misconfigured}.
 */
public final class InvalidOptionException extends IllegalArgumentException {
    public InvalidOptionException(String message) {
        super(message);
    }
}
