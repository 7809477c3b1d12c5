package dev.ember.core.conformance;

import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Root of the backend conformance suite. A backend module runs all of it with one class:
 * <pre>{@code
 * class CpuConformanceTest implements BackendConformance {
 *     public String backendName() { return "cpu"; }
 * }
 * }</pre>
 * A backend that is absent or unavailable is skipped with its probe's reason, unless it is listed in
 * {@code -Dember.require} (comma-separated), in which case every test fails with that reason.
 * Every test runs inside a {@link dev.ember.core.Scope}, so the tensors it creates are freed.
 */
public interface ConformanceBase {
    /** The provider name of the backend under test: {@code cpu}, {@code opencl}, {@code cuda}. */
    String backendName();

    /** The backend under test, resolved once per JVM through {@link dev.ember.core.Backends}. */
    default Backend backend() {
        return ConformanceSupport.backend(backendName());
    }

    @BeforeEach
    default void conformanceRequireBackend() {
        ConformanceSupport.requireOrSkip(backendName());
        ConformanceSupport.openTestScope();
    }

    @AfterEach
    default void conformanceCloseScope() {
        ConformanceSupport.closeTestScope();
    }
}
