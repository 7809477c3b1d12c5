package dev.ember.opencl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenCL drivers such as PoCL replace the JVM's SIGSEGV/SIGFPE/SIGBUS handlers; without the JDK's
 * signal-chaining library the test JVM can die of a bare segmentation fault. The parent POM
 * preloads it for every test JVM; this test fails if that configuration is lost.
 */
class SignalChainingTest {
    @Test
    @EnabledOnOs(OS.LINUX)
    void testJvmPreloadsTheJdkSignalChainingLibrary() {
        assertThat(System.getenv("LD_PRELOAD")).as("LD_PRELOAD of the test JVM")
                .isNotNull()
                .contains(System.getProperty("java.home") + "/lib/libjsig.so");
    }
}
