package dev.ember.bench.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MachineTest {
    @Test
    void cpuModelIsTheFirstModelNameOrTheArmModel() {
        assertThat(Machine.cpuModel(List.of("processor\t: 0", "vendor_id\t: AuthenticAMD",
                "model name\t: AMD EPYC 7B13", "processor\t: 1", "model name\t: other"))).hasValue("AMD EPYC 7B13");
        assertThat(Machine.cpuModel(List.of("processor\t: 0", "BogoMIPS\t: 48.00", "Model\t\t: Raspberry Pi 4")))
                .hasValue("Raspberry Pi 4");
        assertThat(Machine.cpuModel(List.of("processor\t: 0", "model name\t:"))).isEmpty();
        assertThat(Machine.cpuModel(List.of())).isEmpty();
    }

    @Test
    void descriptionNamesProcessorsAndTheOs() {
        assertThat(Machine.describe()).contains(", " + Runtime.getRuntime().availableProcessors() + " logical processors, ")
                .endsWith(System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    }
}
