package dev.ember.core;

import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.Probe;

/** A discovered provider together with what its probe answered. */
public record BackendStatus(String name, Probe probe, BackendProvider provider) {
    public boolean available() {
        return probe.available();
    }

    /** One line for error messages and logs: {@code cpu (priority 50): available, 8 x F32 lanes}. */
    public String describe() {
        return name + " (priority " + probe.priority() + "): "
                + (probe.available() ? "available, " + probe.device() : "unavailable, " + probe.reason());
    }
}
