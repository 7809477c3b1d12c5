package dev.ember.cuda;

import dev.ember.core.DType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The NVRTC binding: against the machine's libnvrtc when there is one, and against a stand-in with
 * NVRTC's C signatures ({@link FakeLibraries}) for the argument passing, memory and error paths.
 */
class NvrtcTest {
    @Test
    void theMachinesNvrtcCompilesAKernelOrSaysWhyNot() {
        Nvrtc nvrtc = Nvrtc.load();
        if (nvrtc.available()) {
            String ptx = nvrtc.compile("extern \"C\" __global__ void ember_probe(float* x) { x[0] = 1.0f; }",
                    "ember_probe.cu", CudaCompileOptions.options(DType.F32));
            assertThat(ptx).contains(".entry ember_probe");
            assertThat(nvrtc.version()).matches("\\d+\\.\\d+");
            assertThat(nvrtc.reason()).isNull();
        } else {
            Tools.failIfRequired("nvrtc", nvrtc.reason());
            assertThat(nvrtc.reason()).contains("libnvrtc", "libnvrtc.so.13", "libnvrtc.so.12");
            assertThat(nvrtc.version()).isNull();
            assertThatThrownBy(() -> nvrtc.compile("", "empty.cu", List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("nvrtc: cannot compile empty.cu: libnvrtc not found");
        }
    }

    @Test
    void sourceNameAndOptionsReachNvrtcIntactAndThePtxComesBack() {
        NativeLibraries.Result fake = FakeLibraries.load("nvrtc");
        Nvrtc nvrtc = Nvrtc.bind(fake);
        assertThat(nvrtc.available()).as(nvrtc.reason()).isTrue();
        assertThat(nvrtc.version()).isEqualTo("13.0");
        assertThat(nvrtc.file()).isEqualTo(fake.file());

        String source = "/* ünïcödé ✓ */ KERNEL void k() {}\n";
        List<String> options = CudaCompileOptions.options(DType.F64);
        String ptx = nvrtc.compile(source, "ember_test.cu", options);

        assertThat(ptx).contains(".entry ember_test.cu")
                .contains("// options: " + String.join(" ", options) + "\n")
                .contains("// source bytes: " + source.getBytes(StandardCharsets.UTF_8).length + "\n")
                .endsWith("// source:\n" + source);
        assertThat(nvrtc.compile("x", "no_options.cu", List.of())).contains("// options:\n");
        assertThat(FakeLibraries.hook(fake, "fake_live_programs")).as("programs not destroyed").isZero();
    }

    @Test
    void aFailedCompileQuotesTheErrorAndTheLogsFirstLines() {
        NativeLibraries.Result fake = FakeLibraries.load("nvrtc");
        Nvrtc nvrtc = Nvrtc.bind(fake);

        assertThatThrownBy(() -> nvrtc.compile("FAIL_COMPILE", "broken.cu", List.of("-DREAL=float")))
                .isInstanceOfSatisfying(Nvrtc.CompileException.class, e -> {
                    assertThat(e.result()).isEqualTo(6);
                    assertThat(e.getMessage())
                            .startsWith("nvrtc: compiling broken.cu with [-DREAL=float] failed:"
                                    + " NVRTC_ERROR_COMPILATION (6); log:\nbroken.cu(1): error: fake error number 1\n")
                            .contains("broken.cu(20): error: fake error number 20\n")
                            .doesNotContain("fake error number 21")
                            .endsWith("... (10 more lines)");
                    assertThat(e.log().lines()).hasSize(30).last()
                            .isEqualTo("broken.cu(30): error: fake error number 30");
                });
        assertThat(FakeLibraries.hook(fake, "fake_live_programs")).as("programs not destroyed").isZero();
    }

    @Test
    void aMissingBuiltinsLibraryAndABadOptionAreNamed() {
        Nvrtc nvrtc = Nvrtc.bind(FakeLibraries.load("nvrtc"));

        assertThatThrownBy(() -> nvrtc.compile("FAIL_BUILTINS", "b.cu", List.of()))
                .isInstanceOf(Nvrtc.CompileException.class)
                .hasMessageContaining("NVRTC_ERROR_BUILTIN_OPERATION_FAILURE (7)")
                .hasMessageContaining("libnvrtc-builtins");
        assertThatThrownBy(() -> nvrtc.compile("x", "o.cu", List.of("-DREAL=float", "--not-an-option")))
                .isInstanceOf(Nvrtc.CompileException.class)
                .hasMessageContaining("with [-DREAL=float, --not-an-option] failed: NVRTC_ERROR_INVALID_OPTION (5);"
                        + " log:\nnvrtc: error: unrecognized option --not-an-option");
    }

    @Test
    void threadsCompileAtOnce() throws Exception {
        NativeLibraries.Result fake = FakeLibraries.load("nvrtc");
        Nvrtc nvrtc = Nvrtc.bind(fake);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 64; i++) {
                String name = "p" + i + ".cu";
                results.add(pool.submit(() -> nvrtc.compile("source " + name, name, List.of("-DN=" + name))));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            String name = "p" + i + ".cu";
            assertThat(results.get(i).get()).contains(".entry " + name, "-DN=" + name, "source " + name);
        }
        assertThat(FakeLibraries.hook(fake, "fake_live_programs")).isZero();
    }

    @Test
    void aLibraryWithoutNvrtcsFunctionsIsUnavailableWithTheMissingSymbol() {
        NativeLibraries.Result libm = NativeLibraries.find("libm", null, List.of("libm.so.6"), List.of());
        Nvrtc nvrtc = Nvrtc.bind(libm);

        assertThat(nvrtc.available()).isFalse();
        assertThat(nvrtc.reason()).isEqualTo("libnvrtc loaded from libm.so.6 but unusable: symbol nvrtcGetErrorString"
                + " is missing from libm.so.6");
    }
}
