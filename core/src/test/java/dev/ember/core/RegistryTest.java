package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ember.backends} filtering and lazy probing, with hand-made providers that count their probes. */
class RegistryTest {
    /** A provider that counts how often it was probed. */
    private static final class Counting implements BackendProvider {
        private final String name;
        private final int priority;
        final AtomicInteger probes = new AtomicInteger();

        Counting(String name, int priority) {
            this.name = name;
            this.priority = priority;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Probe probe() {
            probes.incrementAndGet();
            return Probe.available(name + "-device", priority);
        }

        @Override
        public Backend create(Map<String, String> options) {
            throw new UnsupportedOperationException("registry tests never create a backend");
        }
    }

    private final Counting cpu = new Counting("cpu", 50);
    private final Counting opencl = new Counting("opencl", 10);
    private final List<BackendProvider> found = List.of(opencl, cpu);

    @Test
    void withoutALimitEveryProviderIsProbedOnceInPriorityOrder() {
        Registry r = new Registry(found, "  ");
        assertThat(r.statuses()).extracting(BackendStatus::name).containsExactly("cpu", "opencl");
        assertThat(r.statuses()).extracting(BackendStatus::name).containsExactly("cpu", "opencl");
        assertThat(cpu.probes).hasValue(1);
        assertThat(opencl.probes).hasValue(1);
    }

    @Test
    void aProviderLeftOutOfTheLimitIsNeverProbed() {
        Registry r = new Registry(found, " CPU ,");
        assertThat(r.statuses()).extracting(BackendStatus::name).containsExactly("cpu");
        assertThat(r.status("opencl")).isEmpty();
        assertThat(opencl.probes).hasValue(0);
        assertThat(cpu.probes).hasValue(1);
    }

    @Test
    void aLimitNamingAnUnknownBackendIsAnErrorNamingIt() {
        assertThatThrownBy(() -> new Registry(found, "cpu,cdua"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("-Dember.backends (or EMBER_BACKENDS) names backend 'cdua', which no provider has;"
                        + " providers found: opencl, cpu");
        assertThat(cpu.probes).hasValue(0);
        assertThatThrownBy(() -> new Registry(List.of(), "cpu")).hasMessageEndingWith("providers found: none");
    }

    @Test
    void aRequestByNameProbesThatProviderAlone() {
        Registry r = new Registry(found, null);
        assertThat(r.status("cpu")).hasValueSatisfying(s -> assertThat(s.available()).isTrue());
        assertThat(r.status("tpu")).isEmpty();
        assertThat(opencl.probes).hasValue(0);
        assertThat(r.probedSoFar()).extracting(BackendStatus::name).containsExactly("cpu");
        r.statuses();
        assertThat(cpu.probes).hasValue(1);
        assertThat(opencl.probes).hasValue(1);
    }
}
