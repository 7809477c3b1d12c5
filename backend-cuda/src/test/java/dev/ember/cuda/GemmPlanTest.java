package dev.ember.cuda;

import dev.ember.core.DType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which GEMM kernel runs a product, and with what launch: the fast kernels only where their preconditions hold. */
class GemmPlanTest {
    /** A dense (untransposed, unpadded) product at offset 0. */
    private static GemmPlan dense(DType dtype, int m, int n, int k, boolean tf32, int major) {
        return GemmPlan.choose(dtype, false, false, m, n, k, 0, k, 0, n, 0, n, tf32, major);
    }

    @Test
    public void aLargeAlignedF32ProductRunsTheBigKernelOnTiles128() {
        GemmPlan plan = dense(DType.F32, 4096, 4096, 4096, false, 9);

        assertThat(plan).isEqualTo(new GemmPlan("ember_sgemm_big_nn", 32 * 32, 1, 1, 256, 1, 1, 0));
        assertThat(plan.module()).isEqualTo("gemm");
    }

    @Test
    public void tf32RunsOnlyWhenAllowedAndOnComputeCapability8OrNewer() {
        GemmPlan allowed = dense(DType.F32, 4096, 4096, 4096, true, 8);

        assertThat(allowed).isEqualTo(new GemmPlan("ember_sgemm_tf32_nn", 1024, 1, 1, 256, 1, 1, 73728));
        assertThat(allowed.module()).isEqualTo("gemm_tf32");
        assertThat(dense(DType.F32, 4096, 4096, 4096, true, 7).kernel()).isEqualTo("ember_sgemm_big_nn");
        assertThat(dense(DType.F32, 4096, 4096, 4096, false, 9).kernel()).isEqualTo("ember_sgemm_big_nn");
    }

    @Test
    public void f64AlwaysRunsTheGeneralKernel() {
        GemmPlan plan = dense(DType.F64, 4096, 4096, 4096, true, 9);

        assertThat(plan).isEqualTo(new GemmPlan("ember_gemm_f64_nn", 64 * 64, 1, 1, 256, 1, 1, 0));
    }

    @Test
    public void theSuffixNamesTheTransposesOfAThenB() {
        String[][] expected = {{"nn", "nt"}, {"tn", "tt"}};
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                String suffix = expected[ta][tb];
                boolean transA = ta == 1, transB = tb == 1;
                assertThat(GemmPlan.choose(DType.F32, transA, transB, 2048, 2048, 2048, 0, 2048, 0, 2048, 0, 2048,
                        false, 9).kernel()).isEqualTo("ember_sgemm_big_" + suffix);
                assertThat(GemmPlan.choose(DType.F32, transA, transB, 2048, 2048, 2048, 0, 2048, 0, 2048, 0, 2048,
                        true, 9).kernel()).isEqualTo("ember_sgemm_tf32_" + suffix);
                assertThat(GemmPlan.choose(DType.F32, transA, transB, 10, 10, 10, 0, 10, 0, 10, 0, 10,
                        true, 9).kernel()).isEqualTo("ember_gemm_f32_" + suffix);
                assertThat(GemmPlan.choose(DType.F64, transA, transB, 10, 10, 10, 0, 10, 0, 10, 0, 10,
                        true, 9).kernel()).isEqualTo("ember_gemm_f64_" + suffix);
            }
        }
    }

    @Test
    public void anyArgumentThatBreaksFloat4AlignmentFallsBackToTheGeneralKernel() {
        // m, n, k, aoff, lda, boff, ldb, coff, ldc of an aligned 2048^3 product, each spoiled in turn
        int[] good = {2048, 2048, 2048, 0, 2048, 0, 2048, 0, 2048};
        int[] spoilt = {2046, 2046, 2046, 1, 2050, 2, 2049, 3, 2051};
        assertThat(choose(good).kernel()).isEqualTo("ember_sgemm_tf32_nn");
        for (int i = 0; i < good.length; i++) {
            int[] args = good.clone();
            args[i] = spoilt[i];
            assertThat(choose(args).kernel()).as("argument %d = %d", i, spoilt[i]).isEqualTo("ember_gemm_f32_nn");
        }
    }

    private static GemmPlan choose(int[] a) {
        return GemmPlan.choose(DType.F32, false, false, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], true, 9);
    }

    @Test
    public void smallProductsAndShortKRunTheGeneralKernel() {
        // 1024 x 1920 is 8 x 15 = 120 tiles of 128: too few; 1024 x 2048 is 128: enough
        assertThat(dense(DType.F32, 1024, 1920, 512, false, 9).kernel()).isEqualTo("ember_gemm_f32_nn");
        assertThat(dense(DType.F32, 1024, 2048, 512, false, 9).kernel()).isEqualTo("ember_sgemm_big_nn");
        // ragged edges (multiples of 4, not of 128) still qualify: 1020 x 2044 covers 8 x 16 tiles
        assertThat(dense(DType.F32, 1020, 2044, 512, false, 9).kernel()).isEqualTo("ember_sgemm_big_nn");
        assertThat(dense(DType.F32, 4096, 4096, 28, true, 9).kernel()).isEqualTo("ember_gemm_f32_nn");
        assertThat(dense(DType.F32, 4096, 4096, 32, true, 9).kernel()).isEqualTo("ember_sgemm_tf32_nn");
        assertThat(dense(DType.F32, 1, 1, 0, true, 9)).isEqualTo(new GemmPlan("ember_gemm_f32_nn", 1, 1, 1, 256, 1, 1, 0));
    }

    @Test
    public void theGridHasOneBlockPerTileOfC() {
        int[] sizes = {1, 3, 63, 64, 65, 127, 128, 129, 1000, 2044, 4096, 5000};
        for (int m : sizes) {
            for (int n : sizes) {
                for (boolean tf32 : new boolean[] {false, true}) {
                    GemmPlan plan = dense(DType.F32, m, n, 256, tf32, 9);
                    int tile = plan.kernel().startsWith("ember_gemm_") ? 64 : 128;
                    long tilesM = (m + tile - 1) / tile, tilesN = (n + tile - 1) / tile;
                    assertThat((long) plan.gridX()).as("%s for %d x %d", plan.kernel(), m, n).isEqualTo(tilesM * tilesN);
                    assertThat(plan.tile()).isEqualTo(tile);
                    assertThat(new int[] {plan.gridY(), plan.gridZ(), plan.blockX(), plan.blockY(), plan.blockZ()})
                            .containsExactly(1, 1, GemmPlan.THREADS, 1, 1);
                    assertThat(GemmPlan.KERNEL_PARAMS).containsKey(plan.kernel());
                }
            }
        }
    }

    @Test
    public void emptyProductsAndOversizedGridsAreRefused() {
        assertThatThrownBy(() -> dense(DType.F32, 0, 5, 5, false, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gemm plan: m and n must be >= 1 and k >= 0 (an empty product launches nothing), got m=0, n=5, k=5");
        assertThatThrownBy(() -> dense(DType.F64, 5, 5, -1, false, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k=-1");
        assertThatThrownBy(() -> dense(DType.F64, 1 << 30, 1 << 30, 1, false, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gemm plan: 1073741824 x 1073741824 needs 281474976710656 blocks of 64 x 64, more than a grid holds");
    }

    @Test
    public void everyKernelTakesFourteenParametersAndLivesInItsModule() {
        assertThat(GemmPlan.KERNEL_PARAMS).hasSize(16).allSatisfy((name, params) -> {
            assertThat(params).isEqualTo(14);
            assertThat(GemmPlan.moduleOf(name)).isEqualTo(name.startsWith("ember_sgemm_tf32_") ? "gemm_tf32" : "gemm");
        });
        assertThatThrownBy(() -> GemmPlan.moduleOf("ember_gemm_f16_nn"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gemm plan: no GEMM kernel named 'ember_gemm_f16_nn'");
    }

    @Test
    public void theTf32SharedMemoryIsTheKernelsOwnFigure() throws IOException {
        String source = Files.readString(Path.of("src/main/cuda/gemm_tf32.cu"));

        assertThat(source).contains("static_assert(SMEM_BYTES == " + GemmPlan.TF32_SHARED_BYTES + ",");
    }
}
