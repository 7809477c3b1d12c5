package dev.ember.core;

import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@link Backend#SPI_METHODS} honest and reminds whoever grows the SPI to grow the conformance
 * suite: every abstract method listed here is exercised by {@code dev.ember.core.conformance}.
 */
class SpiCoverageTest {
    /** Abstract SPI method name, with how many overloads it has, that the conformance suite covers. */
    private static final Map<String, Integer> COVERED_BY_CONFORMANCE = new TreeMap<>(Map.ofEntries(
            Map.entry("name", 1), Map.entry("device", 1),
            Map.entry("allocate", 1), Map.entry("free", 1), Map.entry("memory", 1),
            Map.entry("noteReclaimedByCleaner", 1),
            Map.entry("write", 2), Map.entry("read", 2), Map.entry("synchronize", 1),
            Map.entry("fill", 1), Map.entry("copyStrided", 1), Map.entry("cast", 1),
            Map.entry("gemm", 1),
            Map.entry("unary", 1), Map.entry("binary", 1), Map.entry("reduce", 1),
            Map.entry("activation", 1), Map.entry("activationBackward", 1),
            Map.entry("biasActivation", 1),
            Map.entry("softmax", 1), Map.entry("softmaxBackward", 1),
            Map.entry("batchNormTraining", 1), Map.entry("batchNormInference", 1),
            Map.entry("batchNormBackward", 1),
            Map.entry("random", 1),
            Map.entry("sgdUpdate", 1), Map.entry("momentumUpdate", 1), Map.entry("rmspropUpdate", 1),
            Map.entry("adamUpdate", 1),
            Map.entry("close", 1)));

    private static List<Method> abstractMethods() {
        return Arrays.stream(Backend.class.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()))
                .filter(m -> !m.isSynthetic())
                // AutoCloseable.close() is redeclared by Backend; count it once
                .filter(m -> m.getDeclaringClass() == Backend.class)
                .toList();
    }

    @Test
    void spiMethodsConstantMatchesTheInterface() {
        List<Method> methods = abstractMethods();
        assertThat(methods)
                .as("Backend.SPI_METHODS must equal the number of abstract methods of Backend: %s", methods)
                .hasSize(Backend.SPI_METHODS);
        assertThat(Arrays.stream(Backend.class.getDeclaredMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers())).count())
                .isEqualTo(Backend.SPI_METHODS);
    }

    @Test
    void everySpiMethodIsCoveredByTheConformanceSuite() {
        Map<String, Integer> actual = new TreeMap<>(abstractMethods().stream()
                .collect(Collectors.groupingBy(Method::getName, Collectors.summingInt(m -> 1))));
        assertThat(actual)
                .as("a new or renamed SPI method needs conformance tests in dev.ember.core.conformance "
                        + "and an entry in SpiCoverageTest")
                .isEqualTo(COVERED_BY_CONFORMANCE);
        assertThat(COVERED_BY_CONFORMANCE.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo(Backend.SPI_METHODS);
    }

    @Test
    void backendIsAutoCloseable() {
        assertThat(AutoCloseable.class).isAssignableFrom(Backend.class);
    }
}
