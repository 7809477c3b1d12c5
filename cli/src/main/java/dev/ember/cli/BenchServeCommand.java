package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ember.bench.report.Baseline;
import dev.ember.bench.report.ServingComparison;
import dev.ember.bench.report.ServingResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * {@code ember bench serve}: inference of the 784→256→128→10 softmax MLP per call at each batch
 * size, through Ember's serving path ({@code Model.predictInto}) and its Tensor API
 * ({@code model.predict}), next to numpy's and PyTorch's forward pass (each baseline when its python
 * can import it) at the same thread count, timed in alternating rounds in one invocation, with the
 * bytes Ember allocates per call, as a table (stderr) or JSON (stdout).
 */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = "Inference time per call (784-256-128-10 MLP, softmax probabilities) of Model.predictInto and "
                + "Model.predict next to numpy and PyTorch float32 forward passes (same thread count, interleaved "
                + "runs), with Ember's bytes allocated per call; x numpy = numpy's time / the row's time.")
public final class BenchServeCommand implements Callable<Integer> {
    @Option(names = "--batches", split = ",", defaultValue = "1,256",
            description = "Examples per call, 1 to " + ServingComparison.MAX_BATCH + " (default: ${DEFAULT-VALUE}).")
    List<Integer> batches;

    @Option(names = "--threads", split = ",", defaultValue = "1",
            description = "Thread counts for Ember and the baselines (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--rounds", defaultValue = "5", description = "Alternating rounds per batch size (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3",
            description = "Seconds of calls per API and batch size before timing, for the JIT (default: ${DEFAULT-VALUE}).")
    double warmUpSeconds;

    @Option(names = "--no-baselines", description = "Measure Ember alone (no numpy or PyTorch process).")
    boolean noBaselines;

    @Mixin
    BenchTarget target;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // every option is checked before the backend is resolved (which may probe devices) or anything runs
        ServingComparison.Options.check(batches, threads, rounds, warmUpSeconds);
        String name = target.backendName();
        ServingComparison.Options options = new ServingComparison.Options(name, batches, threads, rounds,
                warmUpSeconds, noBaselines ? List.of() : List.of(Baseline.NUMPY_FORWARD, Baseline.TORCH_FORWARD));
        ServingComparison.Report report = ServingComparison.run(options, BenchOutput.progress(spec));
        return BenchOutput.report(spec, target.json, () -> JsonReport.of(report), () -> ServingComparison.format(report));
    }

    /**
     * The JSON document: snake_case keys; {@code machine} is the CPU model, its logical processors
     * and the OS; one row per batch size, thread count, engine and API; {@code baselines} holds what
     * each baseline ran with, or why it did not, per thread count ({@link BaselineJson}).
     */
    record JsonReport(String machine, List<Row> results, List<BaselineJson> baselines) {
        static JsonReport of(ServingComparison.Report r) {
            return new JsonReport(r.machine(), r.results().stream().map(s -> Row.of(r, s)).toList(),
                    BaselineJson.of(r.baselines()));
        }
    }

    /**
     * One row: {@code us_per_call} and {@code calls_per_s} of one engine ({@code ember}, {@code numpy},
     * {@code pytorch}) through one API ({@code predictInto} or {@code predict} for Ember, {@code forward}
     * for the baselines); {@code bytes_per_call}, what Ember allocated on the calling thread per timed
     * call (null for the baselines); {@code speedup_vs_numpy}, numpy's time over this row's at the same
     * batch and threads (above 1: faster than numpy; null without a numpy row).
     */
    record Row(int batch, int threads, String engine, String api, String backend,
               @JsonProperty("us_per_call") double microsPerCall, @JsonProperty("calls_per_s") double callsPerSecond,
               @JsonProperty("bytes_per_call") Double bytesPerCall,
               @JsonProperty("speedup_vs_numpy") Double speedupVsNumpy) {
        static Row of(ServingComparison.Report report, ServingResult s) {
            OptionalDouble speedup = report.speedupVsNumpy(s);
            return new Row(s.batch(), s.threads(), s.engine(), s.api(), s.backend(), s.micros(), 1e6 / s.micros(),
                    Double.isNaN(s.bytesPerCall()) ? null : s.bytesPerCall(),
                    speedup.isPresent() ? speedup.getAsDouble() : null);
        }
    }
}
