package dev.ember.cuda;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * kernels.properties tells the truth about this build: where nvcc was found (as build-ptx.sh looks for it:
 * the PATH, then /usr/local/cuda/bin) the kernels were built; where not, the images say why. With
 * {@code -Dember.requireTools=nvcc} a missing nvcc fails instead.
 */
class KernelImagesTest {
    private static final String NO_NVCC = "nvcc not found on the PATH or in /usr/local/cuda/bin";

    @Test
    public void theKernelsAreBuiltExactlyWhenNvccIsThere() {
        KernelImages images = KernelImages.load();
        if (nvccPresent()) {
            assertThat(images.built()).as("built (reason: %s)", images.reason()).isTrue();
            assertThat(images.reason()).isEmpty();
            assertThat(images.toolkitVersion()).isGreaterThanOrEqualTo(11000);
            assertThat(images.toolkitVersion() % 10).as("major * 1000 + minor * 10").isZero();
            int major = images.toolkitVersion() / 1000;
            int minor = images.toolkitVersion() % 1000 / 10;
            assertThat(images.nvcc()).as("the toolkit is the nvcc's release").startsWith(major + "." + minor + ".");
            assertThat(images.ptxIsa()).matches("\\d+\\.\\d+");
            assertThat(images.arch()).matches("compute_\\d+");
            assertThat(images.modules()).contains(GemmPlan.MODULE, GemmPlan.TF32_MODULE, "ember_f32", "ember_f64");
        } else {
            Tools.failIfRequired("nvcc", "the build found none: " + images.reason());
            assertThat(images.built()).isFalse();
            assertThat(images.reason()).isEqualTo(NO_NVCC);
            assertThat(images.toolkitVersion()).isZero();
            assertThat(images.modules()).isEmpty();
        }
    }

    @Test
    public void aModuleImageIsItsTextWithOneTerminatingNul() {
        KernelImages images = KernelImages.load();
        if (!images.built()) {
            assertThatThrownBy(() -> images.ptx(GemmPlan.MODULE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cuda kernels: module 'gemm' requested, but the kernels were not built: " + images.reason());
            return;
        }
        byte[] image = images.ptx(GemmPlan.MODULE);

        int firstNul = 0;
        while (image[firstNul] != 0) {
            firstNul++;
        }
        assertThat(firstNul).as("the first NUL is the last byte").isEqualTo(image.length - 1);
        assertThat(new String(image, 0, firstNul, StandardCharsets.US_ASCII)).startsWith("//").contains(".entry ");
    }

    @Test
    public void anUnknownModuleIsRefusedByName() {
        KernelImages images = KernelImages.load();
        if (!images.built()) {
            assertThatThrownBy(() -> images.ptx("nope")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("module 'nope' requested, but the kernels were not built");
            return;
        }
        assertThatThrownBy(() -> images.ptx("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cuda kernels: no module 'nope' (built: " + images.modules() + ")");
    }

    /** build-ptx.sh's search: an executable nvcc on the PATH, else /usr/local/cuda/bin/nvcc. */
    private static boolean nvccPresent() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc"));
    }
}
