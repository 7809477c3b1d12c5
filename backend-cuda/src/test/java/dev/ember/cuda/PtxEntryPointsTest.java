package dev.ember.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The built PTX has every kernel the host launches, with the parameters it passes. Where this build had
 * no nvcc there is no PTX, and the images must say so instead of handing out empty modules.
 */
class PtxEntryPointsTest {
    private static final KernelImages IMAGES = KernelImages.load();

    /** (M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc) with alpha and beta of type real. */
    private static List<String> gemmParams(String real) {
        return List.of("u32", "u32", "u32", real, "u64", "u32", "u32", "u64", "u32", "u32", real, "u64", "u32", "u32");
    }

    @Test
    public void everyGemmKernelIsAnEntryWithItsParametersAndBlockSize() {
        if (!IMAGES.built()) {
            assertNoModules();
            return;
        }
        assertThat(GemmPlan.KERNEL_PARAMS).hasSize(16);
        for (Map.Entry<String, Integer> kernel : GemmPlan.KERNEL_PARAMS.entrySet()) {
            String name = kernel.getKey();
            Map<String, PtxEntries.Entry> entries = PtxEntries.of(IMAGES.ptx(GemmPlan.moduleOf(name)));
            assertThat(entries).as("entries of %s.ptx", GemmPlan.moduleOf(name)).containsKey(name);
            PtxEntries.Entry entry = entries.get(name);
            assertThat(entry.paramTypes()).as(name).hasSize(kernel.getValue())
                    .isEqualTo(gemmParams(name.startsWith("ember_gemm_f64_") ? "f64" : "f32"));
            assertThat(entry.maxThreads()).as("%s's __launch_bounds__", name).isEqualTo(GemmPlan.THREADS);
        }
    }

    @Test
    public void theSharedKernelModulesHaveEntriesAndOnlyF64HasTheCasts() {
        if (!IMAGES.built()) {
            assertNoModules();
            return;
        }
        Map<String, PtxEntries.Entry> f32 = PtxEntries.of(IMAGES.ptx("ember_f32"));
        Map<String, PtxEntries.Entry> f64 = PtxEntries.of(IMAGES.ptx("ember_f64"));

        assertThat(f32).containsKeys("ember_fill", "ember_unary", "ember_reduce_group", "ember_softmax", "ember_adam");
        assertThat(f32.get("ember_fill").paramTypes()).containsExactly("u64", "u32", "u32", "f32");
        assertThat(f64.get("ember_fill").paramTypes()).containsExactly("u64", "u32", "u32", "f64");
        assertThat(f32).doesNotContainKeys("ember_cast_f32_to_f64", "ember_cast_f64_to_f32");
        assertThat(f64).containsKeys("ember_cast_f32_to_f64", "ember_cast_f64_to_f32");
        assertThat(f64.keySet()).containsAll(f32.keySet());
    }

    @Test
    public void everyModuleDeclaresTheRecordedIsaAndItsArchitecture() {
        if (!IMAGES.built()) {
            assertNoModules();
            return;
        }
        assertThat(IMAGES.modules()).containsExactly("ember_f32", "ember_f64", GemmPlan.MODULE, GemmPlan.TF32_MODULE);
        for (String module : IMAGES.modules()) {
            String text = new String(IMAGES.ptx(module), StandardCharsets.UTF_8);
            String target = IMAGES.arch(module).replace("compute_", "sm_");
            assertThat(text).as(module).contains("\n.version " + IMAGES.ptxIsa() + "\n")
                    .contains("\n.target " + target + "\n");
            assertThat(PtxEntries.of(IMAGES.ptx(module))).as(module).isNotEmpty();
        }
        assertThat(IMAGES.arch(GemmPlan.TF32_MODULE)).as("TF32 tensor cores need sm_80").isEqualTo("compute_80");
    }

    private static void assertNoModules() {
        assertThat(IMAGES.modules()).isEmpty();
        assertThatThrownBy(() -> IMAGES.ptx(GemmPlan.MODULE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("were not built: " + IMAGES.reason());
    }
}
