package dev.ember.cuda;

import dev.ember.core.spi.Probe;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The provider tells exactly why CUDA cannot run, and never throws from its probe. On a machine with
 * a usable GPU the probe is available and names the device; everywhere else it names the reason.
 */
class CudaProviderTest {
    private final CudaProvider provider = new CudaProvider();

    @Test
    void probeAnswersWithTheDeviceOrTheRealReason() {
        Probe probe = provider.probe();
        assertThat(probe.priority()).isEqualTo(CudaProvider.PRIORITY);
        if (probe.available()) {
            assertThat(probe.device()).contains("compute capability").contains("driver CUDA");
        } else {
            assertThat(probe.state()).isEqualTo(Probe.State.UNAVAILABLE);
            assertThat(probe.reason()).containsAnyOf("libcuda.so.1", "JCuda's native library", "no CUDA device",
                    "stub", "older than", "were not built", "cuInit");
        }
    }

    @Test
    void theReasonIsOneLine() {
        // this build machine (and CI) has the CUDA toolkit but no NVIDIA driver; a GPU machine has one
        String failure = CudaDriver.initialise();
        if (failure != null) {
            assertThat(failure).containsAnyOf("libcuda.so.1", "stub", "no CUDA device").doesNotContain("\n")
                    .hasSizeLessThan(300);
        }
    }

    @Test
    void aNativeLoadFailureMentioningLibcudaIsReportedAsAMissingDriver() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("Error while loading native library \"JCudaDriver\"\n"
                + "Stack trace from the attempt to load the library as a resource:\njava.lang.UnsatisfiedLinkError:"
                + " /tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file: No such file or directory\n"
                + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2285)");
        assertThat(CudaDriver.nativeFailure(e)).isEqualTo("libcuda.so.1 (the NVIDIA driver) was not found: no NVIDIA"
                + " driver is installed here (libcuda.so.1: cannot open shared object file: No such file or directory)");
        assertThat(CudaDriver.nativeFailure(new UnsatisfiedLinkError("no JCudaDriver in java.library.path")))
                .startsWith("JCuda's native library failed to load").contains("java.library.path");
    }

    @Test
    void anOldDriverIsNamedWithBothVersions() {
        CudaDevice device = new CudaDevice(0, "NVIDIA Test", 8, 0, 108, 40L << 30, 1024, true, 12040);
        KernelImages images = KernelImages.load();
        if (images.built()) {
            assertThat(CudaProvider.kernelProblem(images, device)).contains("CUDA 12.4")
                    .contains("CUDA " + CudaDevice.version(images.toolkitVersion()))
                    .contains("CUDA_ERROR_UNSUPPORTED_PTX_VERSION");
            CudaDevice current = new CudaDevice(0, "NVIDIA Test", 9, 0, 132, 140L << 30, 1024, true,
                    images.toolkitVersion());
            assertThat(CudaProvider.kernelProblem(images, current)).isNull();
        } else {
            assertThat(CudaProvider.kernelProblem(images, device)).contains("were not built")
                    .contains(images.reason());
        }
    }

    @Test
    void aBadOptionIsTheUsersMistakeBeforeAnythingStarts() {
        assertThatThrownBy(() -> provider.create(Map.of("gemm", "fast")))
                .hasMessageContaining("gemm='fast'").hasMessageContaining("ember").hasMessageContaining("cublas");
        assertThatThrownBy(() -> provider.create(Map.of("tf32", "yes")))
                .hasMessageContaining("tf32='yes'").hasMessageContaining("true or false");
    }

    @Test
    void deviceDescriptionsNameWhatInfoShows() {
        CudaDevice device = new CudaDevice(0, "NVIDIA H200", 9, 0, 132, 150_000_000_000L, 1024, true, 13000);
        assertThat(device.describe()).isEqualTo(
                "NVIDIA H200 (device 0, compute capability 9.0, 132 SMs, 139.7 GiB, driver CUDA 13.0)");
    }
}
