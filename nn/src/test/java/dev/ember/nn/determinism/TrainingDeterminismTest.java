package dev.ember.nn.determinism;

import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Same seed, same backend, same thread count: bit-identical weights from run to run, whatever the
 * JIT does and whatever other threads do. A child JVM stopped at C1 (the Vector API's Java
 * fallbacks, no C2 intrinsics) trains the network of {@link TrainingDigest}; this JVM trains it
 * again and again until C2 has compiled the step, the last runs while another thread keeps the
 * same backend busy, and every digest must be the first one.
 */
class TrainingDeterminismTest {
    private static final int RUNS = 4;

    @Test
    void trainingGivesTheSameBitsUnderC1UnderC2AndUnderLoad() throws Exception {
        Map<String, String> c1 = child("-XX:TieredStopAtLevel=1");
        try (Backend cpu = TrainingDigest.backend()) {
            for (int run = 0; run < RUNS; run++) {
                assertThat(TrainingDigest.train(cpu, false)).as("eager run %d against C1", run).isEqualTo(c1.get("eager"));
                assertThat(TrainingDigest.train(cpu, true)).as("traced run %d against C1", run).isEqualTo(c1.get("traced"));
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread noise = Thread.ofPlatform().start(() -> {   // competes for the backend's helper threads
                try (Tensor a = Tensor.zeros(cpu, dev.ember.core.DType.F32, 256, 256)) {
                    while (!stop.get()) {
                        a.matmul(a).close();
                    }
                }
            });
            try {
                assertThat(TrainingDigest.train(cpu, false)).as("eager, under load").isEqualTo(c1.get("eager"));
                assertThat(TrainingDigest.train(cpu, true)).as("traced, under load").isEqualTo(c1.get("traced"));
            } finally {
                stop.set(true);
                noise.join();
            }
        }
    }

    private static Map<String, String> child(String flag) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), flag, "--add-modules", "jdk.incubator.vector",
                "-Dember.backends=cpu", "-cp", System.getProperty("java.class.path"), TrainingDigest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("child JVM finished").isTrue();
        assertThat(p.exitValue()).as("child JVM exit, output:\n%s", out).isZero();
        Map<String, String> digests = new LinkedHashMap<>();
        out.lines().filter(l -> l.matches("(eager|traced)=[0-9a-f]+")).forEach(l -> {
            int eq = l.indexOf('=');
            digests.put(l.substring(0, eq), l.substring(eq + 1));
        });
        assertThat(digests).as("child output:\n%s", out).containsKeys("eager", "traced");
        return digests;
    }
}
