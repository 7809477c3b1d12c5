package dev.ember.core.reference;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.core.spi.Probe;

import java.util.Map;
import java.util.Set;

/**
 * Registers the {@link ReferenceBackend} on test class paths that carry core's test-jar. Its priority
 * is the lowest, so {@code auto} takes it only when no real backend is there.
 */
public final class ReferenceBackendProvider implements BackendProvider {
    public static final String NAME = "reference";
    public static final int PRIORITY = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Probe probe() {
        return Probe.available(ReferenceBackend.DEVICE, PRIORITY);
    }

    @Override
    public Set<String> options() {
        return Set.of(MemoryLimit.OPTION);
    }

    @Override
    public Backend create(Map<String, String> options) {
        return new ReferenceBackend(MemoryLimit.of(BackendOptions.of(NAME, options(), options)));
    }
}
