package dev.ember.core;

import dev.ember.core.conformance.DerivedOpsConformance;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DerivedOps;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps both tiers of the SPI honest: {@link Backend#SPI_METHODS} counts the required (abstract)
 * methods and {@link Backend#DERIVED_METHODS} the defaults; every required method is exercised by
 * {@code dev.ember.core.conformance}, every default is composed in {@link DerivedOps} under the same
 * name, and {@link DerivedOpsConformance} compares each with a backend's override.
 */
class SpiCoverageTest {
    /** Required SPI method name, with how many overloads it has, that the conformance suite covers. */
    private static final Map<String, Integer> REQUIRED = new TreeMap<>(Map.ofEntries(
            Map.entry("name", 1), Map.entry("device", 1), Map.entry("close", 1),
            Map.entry("allocate", 1), Map.entry("free", 1), Map.entry("memory", 1),
            Map.entry("noteReclaimedByCleaner", 1),
            Map.entry("write", 2), Map.entry("read", 2), Map.entry("synchronize", 1),
            Map.entry("fill", 1), Map.entry("copyStrided", 1), Map.entry("cast", 1),
            Map.entry("gemm", 1),
            Map.entry("unary", 1), Map.entry("binary", 1), Map.entry("reduce", 1),
            Map.entry("random", 1)));

    /** The derived tier: defaults composed in DerivedOps. */
    private static final Set<String> DERIVED = Set.of(
            "activation", "activationBackward", "biasActivation", "softmax", "softmaxBackward",
            "batchNormTraining", "batchNormInference", "batchNormBackward",
            "sgdUpdate", "momentumUpdate", "rmspropUpdate", "adamUpdate", "adamUpdates", "evaluate");

    private static List<Method> declared(boolean abstractOnes) {
        return Arrays.stream(Backend.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> Modifier.isAbstract(m.getModifiers()) == abstractOnes)
                .toList();
    }

    @Test
    void theConstantsCountBothTiers() {
        assertThat(declared(true)).as("Backend.SPI_METHODS: the abstract methods").hasSize(Backend.SPI_METHODS);
        assertThat(declared(false)).as("Backend.DERIVED_METHODS: the default methods")
                .hasSize(Backend.DERIVED_METHODS);
        assertThat(Backend.SPI_METHODS).as("the required tier stays small").isLessThanOrEqualTo(20);
    }

    @Test
    void everyRequiredMethodIsListedForTheConformanceSuite() {
        Map<String, Integer> actual = new TreeMap<>(declared(true).stream()
                .collect(Collectors.groupingBy(Method::getName, Collectors.summingInt(m -> 1))));
        assertThat(actual)
                .as("a new or renamed required SPI method needs conformance tests in dev.ember.core.conformance "
                        + "and an entry in SpiCoverageTest")
                .isEqualTo(REQUIRED);
    }

    @Test
    void theKitCallsEveryRequiredMethod() throws IOException {
        Path kit = Path.of("src/test/java/dev/ember/core/conformance");
        assertThat(kit).as("run from the core module's folder").isDirectory();
        StringBuilder sources = new StringBuilder();
        try (Stream<Path> files = Files.list(kit)) {
            for (Path f : files.toList()) {
                sources.append(Files.readString(f));
            }
        }
        for (String method : REQUIRED.keySet()) {
            assertThat(sources.indexOf("." + method + "(")).as("the conformance kit calls Backend.%s", method)
                    .isNotNegative();
        }
    }

    @Test
    void everyDefaultIsComposedInDerivedOpsAndComparedWithOverrides() {
        Set<String> defaults = declared(false).stream().map(Method::getName).collect(Collectors.toSet());
        assertThat(defaults).isEqualTo(DERIVED);
        for (Method m : declared(false)) {
            Class<?>[] composedParameters = new Class<?>[m.getParameterCount() + 1];
            composedParameters[0] = Backend.class;
            System.arraycopy(m.getParameterTypes(), 0, composedParameters, 1, m.getParameterCount());
            assertThat(Arrays.stream(DerivedOps.class.getMethods())
                    .anyMatch(d -> d.getName().equals(m.getName())
                            && Arrays.equals(d.getParameterTypes(), composedParameters)))
                    .as("DerivedOps.%s(Backend, ...) composes Backend.%s", m.getName(), m.getName())
                    .isTrue();
        }
        Set<String> compared = Arrays.stream(DerivedOpsConformance.class.getDeclaredMethods())
                .map(Method::getName)
                .filter(n -> n.startsWith("override"))
                .collect(Collectors.toSet());
        for (String op : DERIVED) {
            assertThat(compared).as("DerivedOpsConformance compares a backend's %s with the composition", op)
                    .anyMatch(n -> n.equalsIgnoreCase("overrideOf" + op + "MatchesTheComposition"));
        }
    }

    @Test
    void backendIsAutoCloseable() {
        assertThat(AutoCloseable.class).isAssignableFrom(Backend.class);
    }
}
