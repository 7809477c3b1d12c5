package dev.ember.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.bench.GemmShape;
import dev.ember.bench.TrainNetwork;
import dev.ember.bench.report.DeviceGemmComparison;
import dev.ember.bench.report.BaselineEnvironment;
import dev.ember.bench.report.BaselineServer;
import dev.ember.bench.report.GemmComparison;
import dev.ember.bench.report.GemmResult;
import dev.ember.bench.report.ServingComparison;
import dev.ember.bench.report.ServingResult;
import dev.ember.bench.report.TrainStepComparison;
import dev.ember.bench.report.TrainStepResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON shape of {@code ember bench mlp}, {@code ember bench serve} and {@code ember bench gemm}, from hand-made reports: no timing. */
class BenchJsonTest {
    static final BaselineEnvironment NUMPY = new BaselineEnvironment("numpy", 1, "python3",
            BaselineServer.settings(1), List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"),
            Map.of("summary", "numpy 2.4.6, OpenBLAS SkylakeX", "python", "/usr/bin/python3", "numpy_version", "2.4.6",
                    "blas_libraries", List.of(Map.of("path", "/lib/libopenblas.so", "corename", "SkylakeX",
                            "num_threads", 1))), null);
    static final BaselineEnvironment NO_TORCH = new BaselineEnvironment("pytorch", 1, "python3 /usr/bin/python3",
            BaselineServer.settings(1), List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"), Map.of(),
            "python3: PyTorch is not installed");

    private static JsonNode parse(Object report) throws Exception {
        return Json.mapper().readTree(Json.write(report));
    }

    @Test
    void mlpRowsCarryEngineModeAndTheRatioToEmberEager() throws Exception {
        var report = new TrainStepComparison.Report(List.of(
                new TrainStepResult(TrainNetwork.MLP, 1, "ember", "eager", "cpu", 800),
                new TrainStepResult(TrainNetwork.MLP, 1, "numpy", "eager", "cpu", 1200)), List.of(NUMPY, NO_TORCH));

        JsonNode json = parse(BenchTrainCommand.JsonReport.of(report));

        JsonNode ember = json.get("results").get(0);
        assertThat(ember.get("engine").asText()).isEqualTo("ember");
        assertThat(ember.get("mode").asText()).isEqualTo("eager");
        assertThat(ember.get("model").asText()).isEqualTo("mlp-784-256-128-10");
        assertThat(ember.get("batch").asInt()).isEqualTo(128);
        assertThat(ember.get("us_per_step").asDouble()).isEqualTo(800);
        assertThat(ember.get("steps_per_s").asDouble()).isEqualTo(1250);
        assertThat(ember.get("time_vs_ember_eager").asDouble()).isEqualTo(1.0);
        JsonNode numpy = json.get("results").get(1);
        assertThat(numpy.get("engine").asText()).isEqualTo("numpy");
        assertThat(numpy.get("mode").asText()).isEqualTo("eager");
        assertThat(numpy.get("time_vs_ember_eager").asDouble()).isEqualTo(1.5);
        assertBaselines(json.get("baselines"));
    }

    @Test
    void serveRowsCarryApiBytesAndTheSpeedupOverNumpy() throws Exception {
        var report = new ServingComparison.Report("AMD EPYC, 2 logical processors, Linux amd64", List.of(
                new ServingResult(256, 1, "ember", "predictInto", "cpu", 800, 0),
                new ServingResult(256, 1, "numpy", "forward", "cpu", 1200, Double.NaN)), List.of(NUMPY, NO_TORCH));

        JsonNode json = parse(BenchServeCommand.JsonReport.of(report));

        assertThat(json.get("machine").asText()).isEqualTo("AMD EPYC, 2 logical processors, Linux amd64");
        JsonNode ember = json.get("results").get(0);
        assertThat(ember.get("batch").asInt()).isEqualTo(256);
        assertThat(ember.get("engine").asText()).isEqualTo("ember");
        assertThat(ember.get("api").asText()).isEqualTo("predictInto");
        assertThat(ember.get("us_per_call").asDouble()).isEqualTo(800);
        assertThat(ember.get("calls_per_s").asDouble()).isEqualTo(1250);
        assertThat(ember.get("bytes_per_call").asDouble()).isZero();
        assertThat(ember.get("speedup_vs_numpy").asDouble()).isEqualTo(1.5);
        JsonNode numpy = json.get("results").get(1);
        assertThat(numpy.get("api").asText()).isEqualTo("forward");
        assertThat(numpy.get("bytes_per_call").isNull()).isTrue();
        assertThat(numpy.get("speedup_vs_numpy").asDouble()).isEqualTo(1.0);
        assertBaselines(json.get("baselines"));
    }

    @Test
    void gemmReportRecordsTheBaselineEnvironment() throws Exception {
        var report = new GemmComparison.Report(List.of(new GemmResult("sgemm", "cpu", 512, 512, 512, false, false, 1,
                180, "numpy", Double.NaN, Double.NaN, 0.8)), 220, List.of(NUMPY, NO_TORCH));

        JsonNode json = parse(BenchGemmCommand.JsonReport.of(report));

        assertThat(json.get("results").get(0).get("baseline_gflops").isNull()).isTrue();
        assertBaselines(json.get("baselines"));
    }

    @Test
    void deviceGemmReportNamesTheDeviceAndBothEnginesFigures() throws Exception {
        var report = new DeviceGemmComparison.Report("cuda", "NVIDIA H200", "Intel Xeon, 16 logical processors,"
                + " Linux amd64", "cublas", 5, List.of(new DeviceGemmComparison.Row(
                DeviceGemmComparison.Precision.TF32, GemmShape.parse("2048x1024x512:NT"), 60000, 300000)));

        JsonNode json = parse(BenchGemmCommand.DeviceJsonReport.of(report));

        assertThat(json.get("backend").asText()).isEqualTo("cuda");
        assertThat(json.get("device").asText()).isEqualTo("NVIDIA H200");
        assertThat(json.get("machine").asText()).startsWith("Intel Xeon");
        assertThat(json.get("vendor").asText()).isEqualTo("cublas");
        assertThat(json.get("rounds").asInt()).isEqualTo(5);
        JsonNode row = json.get("results").get(0);
        assertThat(row.get("op").asText()).isEqualTo("sgemm");
        assertThat(row.get("precision").asText()).isEqualTo("tf32");
        assertThat(row.get("m").asInt()).isEqualTo(2048);
        assertThat(row.get("n").asInt()).isEqualTo(1024);
        assertThat(row.get("k").asInt()).isEqualTo(512);
        assertThat(row.get("trans").asText()).isEqualTo("NT");
        assertThat(row.get("gflops").asDouble()).isEqualTo(60000);
        assertThat(row.get("vendor_gflops").asDouble()).isEqualTo(300000);
        assertThat(row.get("ratio").asDouble()).isEqualTo(0.2);
    }

    private static void assertBaselines(JsonNode baselines) {
        assertThat(baselines).hasSize(2);
        JsonNode numpy = baselines.get(0);
        assertThat(numpy.get("engine").asText()).isEqualTo("numpy");
        assertThat(numpy.get("available").asBoolean()).isTrue();
        assertThat(numpy.get("reason").isNull()).isTrue();
        assertThat(numpy.get("threads").asInt()).isEqualTo(1);
        assertThat(numpy.get("env").get("MALLOC_MMAP_THRESHOLD_").asText()).isEqualTo("33554432");
        assertThat(numpy.get("env").get("MALLOC_TRIM_THRESHOLD_").asText()).isEqualTo("1073741824");
        assertThat(numpy.get("env").get("OPENBLAS_NUM_THREADS").asText()).isEqualTo("1");
        assertThat(numpy.get("unset").get(0).asText()).isEqualTo("OPENBLAS_CORETYPE");
        assertThat(numpy.get("runtime").get("numpy_version").asText()).isEqualTo("2.4.6");
        assertThat(numpy.get("runtime").get("python").asText()).isEqualTo("/usr/bin/python3");
        assertThat(numpy.get("runtime").get("blas_libraries").get(0).get("corename").asText()).isEqualTo("SkylakeX");
        JsonNode torch = baselines.get(1);
        assertThat(torch.get("available").asBoolean()).isFalse();
        assertThat(torch.get("reason").asText()).isEqualTo("python3: PyTorch is not installed");
        assertThat(torch.get("runtime").isEmpty()).isTrue();
        assertThat(torch.get("description").asText()).startsWith("pytorch, 1 thread(s): unavailable: ");
    }
}
