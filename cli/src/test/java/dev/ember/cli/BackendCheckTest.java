package dev.ember.cli;

import dev.ember.core.Backends;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackendCheckTest {
    @Test
    void everyCheckRunsInBothDtypesAndFreesItsBuffers() {
        Backend cpu = Backends.byName("cpu");
        long liveBefore = cpu.memory().liveBuffers();

        List<CheckResult> results = BackendCheck.run(cpu);

        assertThat(results).hasSize(6).allSatisfy(r -> {
            assertThat(r.backend()).isEqualTo("cpu");
            assertThat(r.pass() || r.message() != null).as("%s", r).isTrue();
        });
        assertThat(cpu.memory().liveBuffers()).as("buffers left behind by the checks").isEqualTo(liveBefore);
    }

    @Test
    void gemmMatchesTheReferenceOnTheCpuBackend() {
        // the CPU GEMM exists from the start (the other kernels arrive with their issues)
        List<CheckResult> gemm = BackendCheck.run(Backends.byName("cpu")).stream()
                .filter(r -> r.check().equals("gemm")).toList();

        assertThat(gemm).hasSize(2).allSatisfy(r -> assertThat(r.pass()).as("%s", r).isTrue());
    }
}
