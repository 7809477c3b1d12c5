package dev.ember.core.spi;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Option values from the caller, else from {@code ember.BACKEND.OPTION}, and the messages for bad ones. */
class BackendOptionsTest {
    private static final String PROPERTY = "ember.fake.threads";
    private static final Set<String> ACCEPTED = Set.of("threads", "spinMicros");

    @AfterEach
    void clearProperty() {
        System.clearProperty(PROPERTY);
    }

    @Test
    void anExplicitValueBeatsThePropertyWhichBeatsTheFallback() {
        assertThat(BackendOptions.property("fake", "threads")).isEqualTo(PROPERTY);
        assertThat(BackendOptions.of("fake", ACCEPTED, Map.of()).positiveInt("threads", 7)).isEqualTo(7);
        System.setProperty(PROPERTY, " 3 ");
        assertThat(BackendOptions.of("fake", ACCEPTED, Map.of()).positiveInt("threads", 7)).isEqualTo(3);
        assertThat(BackendOptions.of("fake", ACCEPTED, Map.of("threads", "1")).positiveInt("threads", 7)).isEqualTo(1);
        // blank means unset, for a property and an explicit value alike
        assertThat(BackendOptions.of("fake", ACCEPTED, Map.of("threads", " ")).value("threads")).hasValue("3");
        System.setProperty(PROPERTY, "");
        assertThat(BackendOptions.of("fake", ACCEPTED, Map.of()).value("threads")).isEmpty();
        assertThat(BackendOptions.of("fake", ACCEPTED, Map.of("spinMicros", "0")).nonNegativeLong("spinMicros", 5))
                .isZero();
    }

    @Test
    void anUnknownOptionIsNamedWithTheValidOnes() {
        assertThatThrownBy(() -> BackendOptions.of("fake", ACCEPTED, Map.of("thread", "1")))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("backend 'fake': unknown option thread='1'; valid options: spinMicros, threads");
        assertThatThrownBy(() -> BackendOptions.check("fake", Set.of(), Map.of("device", "0")))
                .hasMessage("backend 'fake': unknown option device='0'; valid options: none");
        BackendOptions.check("fake", ACCEPTED, Map.of("threads", "x")); // names only: values are the provider's
    }

    @Test
    void aBadValueNamesTheBackendTheOptionTheValueAndItsSource() {
        BackendOptions explicit = BackendOptions.of("fake", ACCEPTED, Map.of("threads", "0", "spinMicros", "-1"));
        assertThatThrownBy(() -> explicit.positiveInt("threads", 1))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("backend 'fake': option threads='0' must be a positive integer;"
                        + " valid options: spinMicros, threads");
        assertThatThrownBy(() -> explicit.nonNegativeLong("spinMicros", 1))
                .hasMessage("backend 'fake': option spinMicros='-1' must be an integer >= 0;"
                        + " valid options: spinMicros, threads");
        System.setProperty(PROPERTY, "many");
        assertThatThrownBy(() -> BackendOptions.of("fake", ACCEPTED, Map.of()).positiveInt("threads", 1))
                .hasMessage("backend 'fake': option threads='many' (from -Dember.fake.threads) must be a positive"
                        + " integer; valid options: spinMicros, threads");
    }

    @Test
    void readingAnUndeclaredOptionIsAProviderBug() {
        assertThatThrownBy(() -> BackendOptions.of("fake", ACCEPTED, Map.of()).value("device"))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("does not declare it");
    }
}
