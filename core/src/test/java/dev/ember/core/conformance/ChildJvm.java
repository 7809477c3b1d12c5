package dev.ember.core.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a main class in a fresh JVM on this test's class path (with the Vector API module), for tests
 * that compare what another JVM computes: a JVM stopped at C1 against this one after C2, say.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * The {@code KEY=VALUE} lines {@code main} prints when run with {@code jvmFlags}, in order; the
     * child must exit 0 within five minutes.
     */
    public static Map<String, String> keyValues(Class<?> main, String... jvmFlags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmFlags));
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as("child JVM exit, output:\n%s", out).isZero();
        Map<String, String> values = new LinkedHashMap<>();
        out.lines().filter(l -> l.matches("[\\w.]+=\\S+")).forEach(l -> {
            int eq = l.indexOf('=');
            values.put(l.substring(0, eq), l.substring(eq + 1));
        });
        return values;
    }
}
