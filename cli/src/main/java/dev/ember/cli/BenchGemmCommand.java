package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ember.bench.GemmShape;
import dev.ember.bench.report.DeviceGemmComparison;
import dev.ember.bench.report.DeviceGemmTable;
import dev.ember.bench.report.GemmComparison;
import dev.ember.bench.report.GemmResult;
import dev.ember.bench.report.GemmTable;
import dev.ember.core.DType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ember bench gemm}: Ember's GEMM and numpy/OpenBLAS's at the same thread count, timed in
 * alternating rounds in one invocation, as a table (stderr) or JSON (stdout). On a backend with a
 * vendor GEMM (cuda: cuBLAS) the comparison is with that instead, on the same device
 * ({@link DeviceGemmComparison}).
 */
@Command(name = "gemm",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = {"GEMM GFLOPS next to numpy/OpenBLAS (same thread count, interleaved runs), with the ratio "
                + "and the fraction of the FP32 peak.",
                "On cuda: Ember's kernels next to cuBLAS on the same GPU (interleaved runs), with the ratio."})
public final class BenchGemmCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024,2048",
            description = "Problems: N for a square, or MxNxK with an optional :NN|NT|TN|TT suffix (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts for Ember and OpenBLAS (default: ${DEFAULT-VALUE}); not used on a GPU.")
    List<Integer> threads;

    @Option(names = "--dtype", split = ",", defaultValue = "f32",
            description = "f32 (sgemm) and/or f64 (dgemm) (default: ${DEFAULT-VALUE}).")
    List<String> dtypes;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds per problem (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--tf32", description = "On cuda, also F32 products with TF32 tensor cores allowed: tf32=true "
            + "next to cuBLAS's TF32 math.")
    boolean tf32;

    @Mixin
    BenchTarget target;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String name = target.backendName();
        List<DType> types = dtypes.stream().map(this::dtype).toList();
        // every size is checked (positive, each matrix within one buffer and the heap) before any work
        List<GemmShape> shapes;
        try {
            shapes = sizes.stream().map(GemmShape::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench gemm: --sizes: " + e.getMessage());
        }
        Optional<DeviceGemmComparison.Vendor> vendor = DeviceGemmComparison.vendorOf(name);
        if (vendor.isPresent()) {
            return deviceComparison(name, vendor.get(), shapes, types);
        }
        if (tf32) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench gemm: --tf32 compares a GPU"
                    + " backend's GEMM with its vendor library's (cuda), not the '" + name + "' backend's");
        }
        GemmComparison.Options options;
        try {
            options = new GemmComparison.Options(name, shapes, threads, types, rounds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        GemmComparison.Report report = GemmComparison.run(options, BenchOutput.progress(spec));
        return BenchOutput.report(spec, target.json, () -> JsonReport.of(report), () -> GemmTable.format(report));
    }

    private int deviceComparison(String name, DeviceGemmComparison.Vendor vendor, List<GemmShape> shapes,
                                 List<DType> types) {
        DeviceGemmComparison.Options options;
        try {
            options = new DeviceGemmComparison.Options(name, vendor, shapes,
                    DeviceGemmComparison.precisions(types, tf32), rounds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        DeviceGemmComparison.Report report = DeviceGemmComparison.run(options, BenchOutput.progress(spec));
        return BenchOutput.report(spec, target.json, () -> DeviceJsonReport.of(report),
                () -> DeviceGemmTable.format(report));
    }

    private DType dtype(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "bench gemm: --dtype must be f32 or f64, got '" + text + "'");
        };
    }

    /**
     * The JSON document: snake_case keys; unmeasurable baseline figures are null; {@code baselines}
     * holds what numpy ran with at each thread count ({@link BaselineJson}).
     */
    record JsonReport(List<Row> results, @JsonProperty("peak_gflops") double peakGflops,
                      List<BaselineJson> baselines) {
        static JsonReport of(GemmComparison.Report r) {
            return new JsonReport(r.results().stream().map(Row::of).toList(), r.peakGflops(),
                    BaselineJson.of(r.baselines()));
        }
    }

    record Row(String op, String backend, int m, int n, int k, String trans, int threads, double gflops,
               String baseline, @JsonProperty("baseline_gflops") Double baselineGflops, Double ratio,
               @JsonProperty("fraction_of_peak") double fractionOfPeak) {
        static Row of(GemmResult g) {
            return new Row(g.op(), g.backend(), g.m(), g.n(), g.k(),
                    (g.transA() ? "T" : "N") + (g.transB() ? "T" : "N"), g.threads(), g.gflops(), g.baseline(),
                    nullIfNaN(g.baselineGflops()), nullIfNaN(g.ratio()), g.fractionOfPeak());
        }

        private static Double nullIfNaN(double v) {
            return Double.isNaN(v) ? null : v;
        }
    }

    /** The JSON document of a device comparison: the device both engines ran on, and per product each one's GFLOPS. */
    record DeviceJsonReport(String backend, String device, String machine, String vendor, int rounds,
                            List<DeviceRow> results) {
        static DeviceJsonReport of(DeviceGemmComparison.Report r) {
            return new DeviceJsonReport(r.backend(), r.device(), r.machine(), r.vendor(), r.rounds(),
                    r.rows().stream().map(DeviceRow::of).toList());
        }
    }

    record DeviceRow(String op, String precision, int m, int n, int k, String trans, double gflops,
                     @JsonProperty("vendor_gflops") double vendorGflops, double ratio) {
        static DeviceRow of(DeviceGemmComparison.Row r) {
            GemmShape s = r.shape();
            return new DeviceRow(r.precision().op(), r.precision().label(), s.m(), s.n(), s.k(),
                    (s.transA() ? "T" : "N") + (s.transB() ? "T" : "N"), r.gflops(), r.vendorGflops(), r.ratio());
        }
    }
}
