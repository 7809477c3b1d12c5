package dev.ember.bench.report;

import dev.ember.bench.GemmShape;
import dev.ember.bench.report.DeviceGemmComparison.Precision;
import dev.ember.bench.report.DeviceGemmComparison.Vendor;
import dev.ember.core.DType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device comparison's choices that need no GPU: engines, precisions, options and batch sizes. */
class DeviceGemmComparisonTest {
    private static final Vendor CUBLAS = DeviceGemmComparison.vendorOf("cuda").orElseThrow();

    @Test
    void cudaIsComparedWithCublasAndTheCpuBackendsWithNoVendor() {
        assertThat(CUBLAS.label()).isEqualTo("cublas");
        assertThat(CUBLAS.own()).containsExactly(Map.entry("gemm", "ember"));
        assertThat(CUBLAS.options()).containsExactly(Map.entry("gemm", "cublas"));
        assertThat(DeviceGemmComparison.vendorOf("cpu")).isEmpty();
        assertThat(DeviceGemmComparison.vendorOf("opencl")).isEmpty();
    }

    @Test
    void bothEnginesGetThePrecisionsTf32SettingExplicitly() {
        assertThat(DeviceGemmComparison.engineOptions(Precision.FP32, CUBLAS.own()))
                .isEqualTo(Map.of("gemm", "ember", "tf32", "false"));
        assertThat(DeviceGemmComparison.engineOptions(Precision.TF32, CUBLAS.options()))
                .isEqualTo(Map.of("gemm", "cublas", "tf32", "true"));
        assertThat(DeviceGemmComparison.engineOptions(Precision.FP64, CUBLAS.options()))
                .isEqualTo(Map.of("gemm", "cublas"));
    }

    @Test
    void precisionsFollowTheDtypesAndTf32ComesLast() {
        assertThat(DeviceGemmComparison.precisions(List.of(DType.F32), false)).containsExactly(Precision.FP32);
        assertThat(DeviceGemmComparison.precisions(List.of(DType.F32), true))
                .containsExactly(Precision.FP32, Precision.TF32);
        assertThat(DeviceGemmComparison.precisions(List.of(DType.F64, DType.F32, DType.F64), true))
                .containsExactly(Precision.FP64, Precision.FP32, Precision.TF32);
        assertThat(Precision.TF32.dtype()).isEqualTo(DType.F32);
        assertThat(Precision.TF32.op()).isEqualTo("sgemm");
        assertThat(Precision.FP64.op()).isEqualTo("dgemm");
        assertThat(Precision.TF32.label()).isEqualTo("tf32");
    }

    @Test
    void tf32WithoutF32IsRefused() {
        assertThatThrownBy(() -> DeviceGemmComparison.precisions(List.of(DType.F64), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bench gemm: --tf32 compares F32 products, so it needs f32 in --dtype, got [f64]");
    }

    @Test
    void optionsNeedShapesPrecisionsAndARound() {
        List<GemmShape> shapes = List.of(GemmShape.parse("64"));
        List<Precision> fp32 = List.of(Precision.FP32);
        assertThatThrownBy(() -> new DeviceGemmComparison.Options("cuda", CUBLAS, shapes, fp32, 0))
                .hasMessage("bench gemm: rounds must be >= 1, got 0");
        assertThatThrownBy(() -> new DeviceGemmComparison.Options("cuda", CUBLAS, List.of(), fp32, 1))
                .hasMessage("bench gemm: sizes and dtypes must not be empty");
        assertThatThrownBy(() -> new DeviceGemmComparison.Options("cuda", CUBLAS, shapes, List.of(), 1))
                .hasMessage("bench gemm: sizes and dtypes must not be empty");
    }

    @Test
    void aSampleQueuesAboutItsDurationOfCallsWithinBounds() {
        assertThat(DeviceGemmComparison.callsPerSample(0.001)).isEqualTo(200);
        assertThat(DeviceGemmComparison.callsPerSample(0.03)).isEqualTo(7);    // rounded up: at least the duration
        assertThat(DeviceGemmComparison.callsPerSample(5)).isEqualTo(1);
        assertThat(DeviceGemmComparison.callsPerSample(1e-9)).isEqualTo(DeviceGemmComparison.MAX_CALLS);
        assertThat(DeviceGemmComparison.callsPerSample(0)).isEqualTo(DeviceGemmComparison.MAX_CALLS);
        assertThat(DeviceGemmComparison.callsPerSample(Double.NaN)).isEqualTo(DeviceGemmComparison.MAX_CALLS);
    }

    @Test
    void aRunMeasuresEveryShapeOnBothEnginesAndNamesTheDevice() {
        // the CPU backend at two thread counts stands in for a GPU's two engines: the same loop, no GPU
        Vendor twoThreads = new Vendor("two", Map.of("threads", "1"), Map.of("threads", "2"));
        List<GemmShape> shapes = List.of(GemmShape.parse("16"), GemmShape.parse("8x4x2:TN"));
        List<String> progress = new java.util.ArrayList<>();

        var report = DeviceGemmComparison.run(new DeviceGemmComparison.Options("cpu", twoThreads, shapes,
                List.of(Precision.FP64), 2), progress::add);

        assertThat(report.backend()).isEqualTo("cpu");
        assertThat(report.vendor()).isEqualTo("two");
        assertThat(report.rounds()).isEqualTo(2);
        assertThat(report.device()).isNotBlank();
        assertThat(report.rows()).extracting(DeviceGemmComparison.Row::shape).containsExactlyElementsOf(shapes);
        assertThat(report.rows()).allSatisfy(r -> {
            assertThat(r.precision()).isEqualTo(Precision.FP64);
            assertThat(r.gflops()).isPositive().isFinite();
            assertThat(r.vendorGflops()).isPositive().isFinite();
        });
        assertThat(progress.get(0)).startsWith("machine: ");
        assertThat(progress.get(1)).isEqualTo("device: " + report.device());
        assertThat(progress.get(3)).startsWith("fp64 dgemm 8x4x2:TN: ember ").contains(" GFLOPS, two ", ", ratio ");
    }

    @Test
    void theTableNamesTheDeviceAndGivesEachEnginesGflopsAndTheRatio() {
        var report = new DeviceGemmComparison.Report("cuda", "NVIDIA H200 (sm_90, 132 SMs)", "Intel Xeon, 16 logical"
                + " processors, Linux amd64", "cublas", 5, List.of(
                new DeviceGemmComparison.Row(Precision.FP32, GemmShape.parse("1024"), 20923, 38040),
                new DeviceGemmComparison.Row(Precision.TF32, GemmShape.parse("512x256x128:TN"), 1000, 4000)));

        String table = DeviceGemmTable.format(report);

        assertThat(table).startsWith("device: NVIDIA H200 (sm_90, 132 SMs)\nhost:   Intel Xeon, 16 logical processors");
        assertThat(table.lines().toList().get(2)).contains("ember GFLOPS", "cublas GFLOPS", "ratio");
        assertThat(table).contains("fp32  sgemm  1024x1024x1024", "20923", "38040", "0.55")
                .contains("tf32  sgemm  512x256x128:TN", "1000", "4000", "0.25")
                .contains("ratio = ember / cublas on the same cuda backend and device; medians of 5 interleaved");
        assertThat(report.rows().get(0).ratio()).isEqualTo(20923.0 / 38040);
    }
}
