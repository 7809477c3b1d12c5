/**
 * Ember's tensor API ({@code dev.ember.core}), the backend SPI ({@code dev.ember.core.spi}) and traced
 * execution's plan types ({@code dev.ember.core.trace}). Backends are found with {@link java.util.ServiceLoader}:
 * as modules through their {@code provides}, on the class path through {@code META-INF/services}.
 */
module dev.ember.core {
    exports dev.ember.core;
    exports dev.ember.core.spi;
    exports dev.ember.core.trace;   // TracedFunction.plans() and profile() return its types

    requires transitive jdk.jfr;   // Flight Recorder events (KernelLaunchEvent, public, extends jdk.jfr.Event): device memory, kernel launches, plan replays

    uses dev.ember.core.spi.BackendProvider;
}
