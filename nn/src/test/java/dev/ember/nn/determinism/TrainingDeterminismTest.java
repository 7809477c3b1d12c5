package dev.ember.nn.determinism;

import dev.ember.core.Tensor;
import dev.ember.core.conformance.ChildJvm;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
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
        Map<String, String> digests = ChildJvm.keyValues(TrainingDigest.class, flag, "-Dember.backends=cpu");
        assertThat(digests).containsKeys("eager", "traced");
        return digests;
    }
}
