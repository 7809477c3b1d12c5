package dev.ember.cpu;

import dev.ember.core.BackendUnavailableException;
import dev.ember.core.Backends;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.InvalidOptionException;
import dev.ember.core.spi.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CPU backend's options through {@link Backends#open} and through their system properties. Tests
 * that set a property call the provider directly: {@link Backends} caches its probes for the JVM.
 */
class CpuBackendProviderTest {
    private static final String THREADS_PROPERTY = "ember.cpu.threads";
    private static final String SPIN_PROPERTY = "ember.cpu.spinMicros";

    @AfterEach
    void clearProperties() {
        System.clearProperty(THREADS_PROPERTY);
        System.clearProperty(SPIN_PROPERTY);
    }

    @Test
    void openedOptionsReachTheBackend() {
        assertThat(Backends.options("cpu")).containsExactlyInAnyOrder("threads", "spinMicros", "memoryLimit");
        try (Backend one = Backends.open("cpu", Map.of("threads", "1"));
             Backend three = Backends.open("CPU", Map.of("threads", "3", "spinMicros", "0"))) {
            assertThat(one).isInstanceOf(CpuBackend.class).isNotSameAs(Backends.byName("cpu"));
            assertThat(((CpuBackend) one).threads()).isEqualTo(1);
            assertThat(one.device()).endsWith(", 1 thread");
            assertThat(((CpuBackend) three).threads()).isEqualTo(3);
        }
        assertThat(CpuOptions.parse(Map.of("spinMicros", "250")).spinNanos()).isEqualTo(250_000);
        assertThat(CpuOptions.parse(Map.of()).spinNanos()).isEqualTo(100_000);
        assertThat(CpuOptions.parse(Map.of()).threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(CpuOptions.parse(Map.of("memoryLimit", "4096")).memoryLimit().bytes()).isEqualTo(4096);
        assertThat(CpuOptions.parse(Map.of()).memoryLimit()).isEqualTo(dev.ember.core.spi.MemoryLimit.NONE);
    }

    @Test
    void anUnknownOptionIsAnErrorNamingItAndTheValidOnes() {
        assertThatThrownBy(() -> Backends.open("cpu", Map.of("thread", "1")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("backend 'cpu': unknown option thread='1'; valid options: memoryLimit, spinMicros, threads");
    }

    @Test
    void aBadValueIsAnErrorNamingTheBackendTheOptionAndTheValue() {
        assertThatThrownBy(() -> Backends.open("cpu", Map.of("threads", "0")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("backend 'cpu': option threads='0' must be a positive integer;"
                        + " valid options: memoryLimit, spinMicros, threads");
        assertThatThrownBy(() -> Backends.open("cpu", Map.of("spinMicros", "soon")))
                .hasMessage("backend 'cpu': option spinMicros='soon' must be an integer >= 0;"
                        + " valid options: memoryLimit, spinMicros, threads");
    }

    @Test
    void thePropertiesAreTheOptionsDefaults() {
        System.setProperty(THREADS_PROPERTY, "2");
        try (Backend b = new CpuBackendProvider().create()) {
            assertThat(((CpuBackend) b).threads()).isEqualTo(2);
        }
        try (Backend b = new CpuBackendProvider().create(Map.of("threads", "1"))) {
            assertThat(((CpuBackend) b).threads()).isEqualTo(1);
        }
        assertThat(new CpuBackendProvider().probe().device()).endsWith(", 2 threads");
    }

    @Test
    void aBadPropertyMakesTheProbeMisconfiguredNotUnavailable() {
        System.setProperty(THREADS_PROPERTY, "0");
        CpuBackendProvider provider = new CpuBackendProvider();
        Probe probe = provider.probe();
        assertThat(probe.state()).isEqualTo(Probe.State.MISCONFIGURED);
        assertThat(probe.reason()).isEqualTo("backend 'cpu': option threads='0' (from -Dember.cpu.threads) must be a"
                + " positive integer; valid options: memoryLimit, spinMicros, threads");
        assertThatThrownBy(provider::create).isInstanceOf(InvalidOptionException.class)
                .hasMessage(probe.reason());
        // an explicit value replaces the bad default
        try (Backend b = provider.create(Map.of("threads", "1"))) {
            assertThat(((CpuBackend) b).threads()).isEqualTo(1);
        }
        System.clearProperty(THREADS_PROPERTY);
        System.setProperty(SPIN_PROPERTY, "-5");
        assertThat(provider.probe().reason()).contains("spinMicros='-5' (from -Dember.cpu.spinMicros)");
    }
}
