package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ember.bench.TrainNetwork;
import dev.ember.bench.report.TrainStepComparison;
import dev.ember.bench.report.TrainStepResult;
import dev.ember.core.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ember bench train}: one F32 training step (forward, backward, Adam) of the 784→256→128→10
 * softmax MLP at batch 128 and of the 2→5→2→1 sigmoid net at batch 64, Ember's and numpy's at the
 * same thread count, timed in alternating rounds in one invocation, as a table (stderr) or JSON (stdout).
 */
@Command(name = "train",
        aliases = "mlp",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = "Training-step time next to a numpy float32 implementation of the same step (same thread "
                + "count, interleaved runs); ratio = numpy time / Ember time.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--networks", split = ",", defaultValue = "mlp,small",
            description = "mlp (784-256-128-10, batch 128) and/or small (2-5-2-1, batch 64) (default: ${DEFAULT-VALUE}).")
    List<String> networks;

    @Option(names = "--threads", split = ",", defaultValue = "1,2",
            description = "Thread counts for Ember and OpenBLAS (default: ${DEFAULT-VALUE}).")
    List<Integer> threads;

    @Option(names = "--backend", description = "Backend to measure (default: the configured one, as 'auto' would pick).")
    String backend;

    @Option(names = "--rounds", defaultValue = "5", description = "Alternating rounds per network (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--json", description = "Print the results as one JSON object on stdout.")
    boolean json;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String name = backend != null ? backend : Backends.resolve(Backends.requestedName()).name();
        List<TrainNetwork> nets;
        try {
            nets = networks.stream().map(TrainNetwork::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "bench train: " + e.getMessage());
        }
        TrainStepComparison.Options options = new TrainStepComparison.Options(name, nets, threads, rounds);
        TrainStepComparison.Report report = TrainStepComparison.run(options, line -> {
            err.println(line);
            err.flush();
        });
        if (json) {
            // bench train -> bench -> ember: the root command owns the JSON writer
            PrintWriter out = ((EmberCommand) spec.root().userObject()).json();
            out.println(Json.write(JsonReport.of(report)));
            out.flush();
        } else {
            err.print(TrainStepComparison.format(report));
            err.flush();
        }
        return CommandLine.ExitCode.OK;
    }

    /** The JSON document: snake_case keys; unmeasurable baseline figures are null. */
    record JsonReport(List<Row> results, String baseline) {
        static JsonReport of(TrainStepComparison.Report r) {
            return new JsonReport(r.results().stream().map(Row::of).toList(), r.baseline());
        }
    }

    /**
     * One row: {@code ember_us}/{@code numpy_us} per step and {@code ratio} = numpy time / Ember time;
     * {@code model}, {@code batch}, {@code mode} and the steps-per-second figures are the same data in
     * the form issue 5 names.
     */
    record Row(String network, String model, int batch, String backend, int threads, String mode,
               @JsonProperty("ember_us") double emberUs, @JsonProperty("numpy_us") Double numpyUs, Double ratio,
               @JsonProperty("steps_per_s") double stepsPerSecond, String baseline,
               @JsonProperty("baseline_steps_per_s") Double baselineStepsPerSecond) {
        static Row of(TrainStepResult t) {
            return new Row(t.network().key(), t.network().model(), t.network().batch(), t.backend(), t.threads(),
                    "eager", t.emberMicros(), nullIfNaN(t.numpyMicros()), nullIfNaN(t.ratio()),
                    1e6 / t.emberMicros(), t.baseline(), nullIfNaN(1e6 / t.numpyMicros()));
        }

        private static Double nullIfNaN(double v) {
            return Double.isNaN(v) ? null : v;
        }
    }
}
