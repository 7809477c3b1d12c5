package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ember.bench.TrainNetwork;
import dev.ember.bench.report.TrainStepComparison;
import dev.ember.bench.report.TrainStepResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * {@code ember bench train}: one F32 training step (forward, backward, Adam) of the 784→256→128→10
 * softmax MLP at batch 128 and of the 2→5→2→1 sigmoid net at batch 64, Ember's, numpy's and
 * PyTorch's (each baseline when its python can import it) at the same thread count, timed in
 * alternating rounds in one invocation, as a table (stderr) or JSON (stdout).
 */
@Command(name = "train",
        aliases = "mlp",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = "Training-step time next to numpy and PyTorch float32 implementations of the same step "
                + "(same thread count, interleaved runs); vs ember = time / Ember eager's time.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--networks", split = ",", defaultValue = "mlp,small",
            description = "mlp (784-256-128-10, batch 128) and/or small (2-5-2-1, batch 64) (default: ${DEFAULT-VALUE}).")
    List<String> networks;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts for Ember and the baselines (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--rounds", defaultValue = "5", description = "Alternating rounds per network (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    BenchTarget target;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        String name = target.backendName();
        List<TrainNetwork> nets;
        try {
            nets = networks.stream().map(TrainNetwork::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench train: " + e.getMessage());
        }
        TrainStepComparison.Options options;
        try {
            options = new TrainStepComparison.Options(name, nets, threads, rounds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        TrainStepComparison.Report report = TrainStepComparison.run(options, BenchOutput.progress(spec));
        return BenchOutput.report(spec, target.json, () -> JsonReport.of(report), () -> TrainStepComparison.format(report));
    }

    /**
     * The JSON document: snake_case keys; one row per network, thread count, engine and mode;
     * {@code baselines} holds what each baseline ran with, or why it did not, per thread count
     * ({@link BaselineJson}).
     */
    record JsonReport(List<Row> results, List<BaselineJson> baselines) {
        static JsonReport of(TrainStepComparison.Report r) {
            return new JsonReport(r.results().stream().map(t -> Row.of(r, t)).toList(), BaselineJson.of(r.baselines()));
        }
    }

    /**
     * One row: {@code us_per_step} and {@code steps_per_s} of one engine ({@code ember},
     * {@code numpy}, {@code pytorch}) in one mode ({@code eager}, or {@code traced} for Ember's replayed step), and
     * {@code time_vs_ember_eager}: this row's time over Ember eager's at the same network and
     * threads (above 1: Ember eager is faster; null without an Ember eager row).
     */
    record Row(String network, String model, int batch, int threads, String engine, String mode, String backend,
               @JsonProperty("us_per_step") double microsPerStep, @JsonProperty("steps_per_s") double stepsPerSecond,
               @JsonProperty("time_vs_ember_eager") Double timeVsEmberEager) {
        static Row of(TrainStepComparison.Report report, TrainStepResult t) {
            OptionalDouble ratio = report.timeVsEmberEager(t);
            return new Row(t.network().key(), t.network().model(), t.network().batch(), t.threads(), t.engine(),
                    t.mode(), t.backend(), t.micros(), 1e6 / t.micros(),
                    ratio.isPresent() ? ratio.getAsDouble() : null);
        }
    }
}
