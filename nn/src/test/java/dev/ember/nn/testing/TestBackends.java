package dev.ember.nn.testing;

import dev.ember.core.conformance.ConformanceSupport;
import dev.ember.core.spi.Backend;

/**
 * Resolves the backend a test suite runs on, with the conformance kit's rule: an unavailable
 * backend skips the suite with its reason, or fails it when {@code -Dember.require} names it.
 */
public final class TestBackends {
    private TestBackends() {
    }

    public static Backend byName(String name) {
        ConformanceSupport.requireOrSkip(name);
        return ConformanceSupport.backend(name);
    }
}
