package dev.ember.core;

import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.Probe;

import java.util.Locale;

/** A discovered provider together with what its probe answered. */
public record BackendStatus(String name, Probe probe, BackendProvider provider) {
    public boolean available() {
        return probe.available();
    }

    public boolean misconfigured() {
        return probe.state() == Probe.State.MISCONFIGURED;
    }

    /** One line for error messages and logs: {@code cpu (priority 50): available, 8 x F32 lanes}. */
    public String describe() {
        return name + " (priority " + probe.priority() + "): " + probe.state().name().toLowerCase(Locale.ROOT) + ", "
                + (probe.available() ? probe.device() : probe.reason());
    }
}
