package dev.ember.cpu.kernels;

import dev.ember.core.conformance.ChildJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        Map<String, Long> d = new LinkedHashMap<>();
        ChildJvm.keyValues(KernelDigests.class, flag).forEach((k, v) -> {
            if (v.matches("-?\\d+")) {
                d.put(k, Long.parseLong(v));
            }
        });
        return d;
    }
}
