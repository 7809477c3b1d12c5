package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ember.bench.GemmShape;
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
import java.util.concurrent.Callable;

/**
 * {@code ember bench gemm}: Ember's GEMM and numpy/OpenBLAS's at the same thread count, timed in
 * alternating rounds in one invocation, as a table (stderr) or JSON (stdout).
 */
@Command(name = "gemm",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = "GEMM GFLOPS next to numpy/OpenBLAS (same thread count, interleaved runs), with the ratio "
                + "and the fraction of the FP32 peak.")
public final class BenchGemmCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024,2048",
            description = "Problems: N for a square, or MxNxK with an optional :NN|NT|TN|TT suffix (default: ${DEFAULT-VALUE}).")
    List<String> sizes;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts for Ember and OpenBLAS (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--dtype", split = ",", defaultValue = "f32",
            description = "f32 (sgemm) and/or f64 (dgemm) (default: ${DEFAULT-VALUE}).")
    List<String> dtypes;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds per problem (default: ${DEFAULT-VALUE}).")
    int rounds;

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
        GemmComparison.Options options;
        try {
            options = new GemmComparison.Options(name, shapes, threads, types, rounds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        GemmComparison.Report report = GemmComparison.run(options, BenchOutput.progress(spec));
        return BenchOutput.report(spec, target.json, () -> JsonReport.of(report), () -> GemmTable.format(report));
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
}
