package dev.ember.cpu.kernels;

import org.junit.jupiter.api.Test;

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
 * The CPU kernels give the same bits whatever the JIT does (DESIGN.md: same seed, same backend,
 * same thread count => bit-identical training): a child JVM stopped at C1 runs the Vector API's
 * Java fallbacks, this JVM after warm-up runs C2's intrinsics, and their digests must agree.
 */
class JitIndependenceTest {
    /** Enough rounds for C2 to compile the kernels' loops in this JVM. */
    private static final int WARM_UP = 3000;

    @Test
    void kernelsGiveTheSameBitsBeforeAndAfterC2() throws Exception {
        Map<String, Long> warm = null;
        for (int r = 0; r < WARM_UP; r++) {
            warm = KernelDigests.compute();
        }
        Map<String, Long> cold = child("-XX:TieredStopAtLevel=1");
        assertThat(cold).hasSameSizeAs(warm);
        List<String> differing = new ArrayList<>();
        warm.forEach((k, v) -> {
            if (!v.equals(cold.get(k))) {
                differing.add(k);
            }
        });
        assertThat(differing).as("digests differing between C1 and C2 of %d", warm.size()).isEmpty();
    }

    /** The digests printed by {@link KernelDigests#main} in a fresh JVM with {@code flag}. */
    private static Map<String, Long> child(String flag) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), flag, "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), KernelDigests.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as("child JVM exit, output:\n%s", out).isZero();
        Map<String, Long> d = new LinkedHashMap<>();
        out.lines().filter(l -> l.matches("[\\w.]+=-?\\d+")).forEach(l -> {
            int eq = l.indexOf('=');
            d.put(l.substring(0, eq), Long.parseLong(l.substring(eq + 1)));
        });
        return d;
    }
}
