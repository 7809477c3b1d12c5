package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Backend selection without registering any provider: core's own class path has none (and must not:
 * a service file under core/src/test/resources would leak into the conformance test-jar), so the rule
 * is tested through {@link Backends#choose} and {@link Backends#byPriority} with hand-made statuses.
 */
class BackendsTest {
    private String savedProperty;

    @BeforeEach
    void saveProperty() {
        savedProperty = System.getProperty(Backends.PROPERTY);
    }

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(Backends.PROPERTY);
        } else {
            System.setProperty(Backends.PROPERTY, savedProperty);
        }
    }

    private static BackendStatus status(String name, boolean available, int priority) {
        Probe probe = available ? Probe.available(name + "-device", priority)
                : Probe.unavailable(name + " driver missing: libfoo.so not found", priority);
        return new BackendStatus(name, probe, new FakeProvider(name, probe));
    }

    private static BackendStatus misconfigured(String name, int priority) {
        Probe probe = Probe.misconfigured("backend '" + name + "': option threads='0' (from -Dember." + name
                + ".threads) must be a positive integer; valid options: threads", priority);
        return new BackendStatus(name, probe, new FakeProvider(name, probe));
    }

    private record FakeProvider(String name, Probe probe) implements BackendProvider {
        @Override
        public Backend create(Map<String, String> options) {
            throw new UnsupportedOperationException("selection tests never create a backend");
        }
    }

    private static final List<BackendStatus> ALL = Backends.byPriority(List.of(
            status("cpu", true, 50),
            status("opencl", true, 10),
            status("cuda", false, 100)));

    @Test
    void statusesAreOrderedByPriorityThenName() {
        assertThat(ALL).extracting(BackendStatus::name).containsExactly("cuda", "cpu", "opencl");
        List<BackendStatus> ties = Backends.byPriority(List.of(status("zeta", true, 5), status("alpha", true, 5),
                status("mid", false, 7)));
        assertThat(ties).extracting(BackendStatus::name).containsExactly("mid", "alpha", "zeta");
    }

    @Test
    void autoTakesTheHighestPriorityAvailableBackend() {
        assertThat(Backends.choose(ALL, "auto").name()).isEqualTo("cpu");
        assertThat(Backends.choose(ALL, " AUTO ").name()).isEqualTo("cpu");
        List<BackendStatus> gpu = Backends.byPriority(List.of(status("cpu", true, 50), status("cuda", true, 100),
                status("opencl", true, 10)));
        assertThat(Backends.choose(gpu, "auto").name()).isEqualTo("cuda");
    }

    @Test
    void autoPrefersTheNativeCpuBackendOverAnOpenClCpuDevice() {
        List<BackendStatus> s = Backends.byPriority(List.of(status("opencl", true, 10), status("cpu", true, 50)));
        assertThat(Backends.choose(s, "auto").name()).isEqualTo("cpu");
    }

    @Test
    void anExplicitNameIsHonouredEvenBelowAHigherPriorityOne() {
        assertThat(Backends.choose(ALL, "opencl").name()).isEqualTo("opencl");
        assertThat(Backends.choose(ALL, "  OpenCL ").name()).isEqualTo("opencl");
    }

    @Test
    void anUnavailableExplicitBackendIsAnErrorListingEveryProviderNeverAFallBack() {
        assertThatThrownBy(() -> Backends.choose(ALL, "cuda"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("backend 'cuda' is unavailable: cuda driver missing: libfoo.so not found")
                .hasMessageContaining("cuda (priority 100): unavailable, cuda driver missing")
                .hasMessageContaining("cpu (priority 50): available, cpu-device")
                .hasMessageContaining("opencl (priority 10): available, opencl-device")
                .hasMessageContaining("-D" + Backends.PROPERTY);
    }

    @Test
    void anUnknownNameIsAnErrorListingEveryProvider() {
        assertThatThrownBy(() -> Backends.choose(ALL, "tpu"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("unknown backend 'tpu'")
                .hasMessageContaining("cuda (priority 100)")
                .hasMessageContaining("cpu (priority 50)")
                .hasMessageContaining("opencl (priority 10)");
    }

    @Test
    void anErrorSaysWhenEmberBackendsLimitedTheProvidersLookedAt() {
        System.setProperty(Backends.ONLY_PROPERTY, "cpu,opencl");
        try {
            assertThatThrownBy(() -> Backends.choose(ALL, "tpu"))
                    .hasMessageContaining("Only the backends named by -Dember.backends (or EMBER_BACKENDS) were looked"
                            + " at: cpu,opencl");
        } finally {
            System.clearProperty(Backends.ONLY_PROPERTY);
        }
    }

    @Test
    void autoWithNothingAvailableIsAnError() {
        List<BackendStatus> none = List.of(status("cuda", false, 100));
        assertThatThrownBy(() -> Backends.choose(none, "auto"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("no backend is available")
                .hasMessageContaining("cuda driver missing");
        assertThatThrownBy(() -> Backends.choose(List.of(), "auto"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("no backend is available")
                .hasMessageContaining("none (is a backend module");
    }

    @Test
    void aMisconfiguredBackendStopsAutoInsteadOfLettingItChooseAnother() {
        List<BackendStatus> s = Backends.byPriority(List.of(misconfigured("cpu", 50), status("opencl", true, 10)));
        assertThatThrownBy(() -> Backends.choose(s, "auto"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("backend 'cpu' is misconfigured, so 'auto' will not choose (fix the setting, or"
                        + " list the backends to use with -Dember.backends): backend 'cpu': option threads='0' (from"
                        + " -Dember.cpu.threads) must be a positive integer")
                .hasMessageContaining("cpu (priority 50): misconfigured, ")
                .hasMessageContaining("opencl (priority 10): available, opencl-device");
        // even one below the backend auto would take: its setting is wrong, and the user should hear of it
        List<BackendStatus> below = Backends.byPriority(List.of(status("cpu", true, 50), misconfigured("opencl", 10)));
        assertThatThrownBy(() -> Backends.choose(below, "auto")).hasMessageContaining("'opencl' is misconfigured");
    }

    @Test
    void aMisconfiguredBackendAskedForByNameIsAnErrorListingEveryProvider() {
        List<BackendStatus> s = Backends.byPriority(List.of(misconfigured("cpu", 50), status("opencl", true, 10)));
        assertThatThrownBy(() -> Backends.choose(s, "cpu"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("backend 'cpu' is misconfigured: backend 'cpu': option threads='0'")
                .hasMessageContaining("opencl (priority 10): available");
        // another backend asked for by name does not depend on cpu's setting
        assertThat(Backends.choose(s, "opencl").name()).isEqualTo("opencl");
    }

    @Test
    void statusDescribesItselfOnOneLine() {
        assertThat(status("cpu", true, 50).describe()).isEqualTo("cpu (priority 50): available, cpu-device");
        assertThat(status("cuda", false, 100).describe())
                .isEqualTo("cuda (priority 100): unavailable, cuda driver missing: libfoo.so not found");
        assertThat(status("cpu", true, 50).available()).isTrue();
        assertThat(misconfigured("cpu", 50).describe()).startsWith("cpu (priority 50): misconfigured, backend 'cpu':");
        assertThat(misconfigured("cpu", 50).available()).isFalse();
        assertThat(misconfigured("cpu", 50).misconfigured()).isTrue();
        assertThat(status("cuda", false, 100).misconfigured()).isFalse();
    }

    @Test
    void coreAloneDiscoversOnlyItsReferenceBackend() {
        // core's test-jar registers the reference backend and nothing else; it is the lowest priority
        assertThat(Backends.statuses()).extracting(BackendStatus::name).containsExactly("reference");
        assertThat(Backends.autoChoice()).map(BackendStatus::name).contains("reference");
        assertThat(Backends.statuses().getFirst().probe().priority()).isLessThan(10);
        assertThatThrownBy(() -> Backends.byName("cpu"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("unknown backend 'cpu'")
                .hasMessageContaining("reference (priority 1): available");
        assertThatThrownBy(() -> Backends.open("cpu", Map.of("threads", "1")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("unknown backend 'cpu'");
        assertThatThrownBy(() -> Backends.open("reference", Map.of("threads", "1")))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessage("backend 'reference': unknown option threads='1'; valid options: memoryLimit");
    }

    @Test
    void requestedNameComesFromThePropertyTrimmedAndLowerCased() {
        System.setProperty(Backends.PROPERTY, "  OpenCL ");
        assertThat(Backends.requestedName()).isEqualTo("opencl");
        System.setProperty(Backends.PROPERTY, "cuda");
        assertThat(Backends.requestedName()).isEqualTo("cuda");
    }

    @Test
    void aBlankPropertyFallsBackToTheEnvironmentThenAuto() {
        System.setProperty(Backends.PROPERTY, "   ");
        String env = System.getenv(Backends.ENVIRONMENT);
        String expected = env == null || env.isBlank() ? Backends.AUTO : env.trim().toLowerCase(java.util.Locale.ROOT);
        assertThat(Backends.requestedName()).isEqualTo(expected);
    }
}
