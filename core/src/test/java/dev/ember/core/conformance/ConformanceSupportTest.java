package dev.ember.core.conformance;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which backends a parameterised suite runs on, and what happens to one it cannot use. Core's class path
 * has only the reference backend (see BackendsTest), so "ghost" is a backend that is required but not discovered.
 */
class ConformanceSupportTest {
    private String savedRequire;

    @BeforeEach
    void saveRequire() {
        savedRequire = System.getProperty(ConformanceSupport.REQUIRE_PROPERTY);
    }

    @AfterEach
    void restoreRequire() {
        if (savedRequire == null) {
            System.clearProperty(ConformanceSupport.REQUIRE_PROPERTY);
        } else {
            System.setProperty(ConformanceSupport.REQUIRE_PROPERTY, savedRequire);
        }
    }

    @Test
    void everyDiscoveredBackendIsUnderTestInDiscoveryOrder() {
        assertThat(ConformanceSupport.underTest(List.of("cuda", "cpu", "opencl"), Set.of()))
                .containsExactly("cuda", "cpu", "opencl");
    }

    @Test
    void aRequiredBackendThatWasNotDiscoveredIsStillUnderTest() {
        assertThat(ConformanceSupport.underTest(List.of("cpu"), Set.of("opencl", "cpu", " CUDA ")))
                .containsExactly("cpu", "cuda", "opencl");
    }

    @Test
    void underTestReadsTheRequireProperty() {
        System.setProperty(ConformanceSupport.REQUIRE_PROPERTY, "ghost");
        // core's own test class path discovers its reference backend
        assertThat(ConformanceSupport.underTest()).containsExactly("reference", "ghost");
    }

    @Test
    void anUnusableBackendIsSkippedWithTheReason() {
        System.clearProperty(ConformanceSupport.REQUIRE_PROPERTY);
        assertThatThrownBy(() -> ConformanceSupport.requireOrSkip("ghost"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("no provider named 'ghost' on the class path");
    }

    @Test
    void anUnusableRequiredBackendFailsWithTheReason() {
        System.setProperty(ConformanceSupport.REQUIRE_PROPERTY, "cpu,ghost");
        assertThatThrownBy(() -> ConformanceSupport.requireOrSkip("ghost"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("backend 'ghost' is required")
                .hasMessageContaining("no provider named 'ghost' on the class path");
    }
}
