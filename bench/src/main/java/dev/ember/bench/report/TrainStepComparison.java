package dev.ember.bench.report;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.TrainNetwork;
import dev.ember.bench.TrainStepProblem;
import dev.ember.core.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Ember's training step, eager and traced, next to numpy's ({@code numpy_train_step.py}) and PyTorch's
 * ({@code torch_train_step.py}) at the same thread count, in one invocation. For every network
 * they are timed in alternating rounds, so a noisy neighbour slows all alike; each figure is the
 * median over rounds of per-round medians. A baseline that cannot run (no python, no numpy, no
 * torch) is reported with its reason and left out of the rows.
 */
public final class TrainStepComparison {
    /** What to measure, and against which baselines. */
    public record Options(String backend, List<TrainNetwork> networks, List<Integer> threads, int rounds,
                          List<Baseline> baselines) {
        public Options {
            if (networks.isEmpty() || threads.isEmpty()) {
                throw new IllegalArgumentException("bench train: networks and threads must not be empty");
            }
            for (int t : threads) {
                if (t < 1 || t > GemmComparison.MAX_THREADS) {
                    throw new IllegalArgumentException("bench train: thread counts must be in [1, "
                            + GemmComparison.MAX_THREADS + "], got " + t);
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("bench train: rounds must be >= 1, got " + rounds);
            }
            baselines = List.copyOf(baselines);
        }

        /** Against numpy and PyTorch. */
        public Options(String backend, List<TrainNetwork> networks, List<Integer> threads, int rounds) {
            this(backend, networks, threads, rounds, List.of(Baseline.NUMPY_TRAIN, Baseline.TORCH_TRAIN));
        }
    }

    /** The whole report: rows, and what every baseline ran with (or why it did not) per thread count. */
    public record Report(List<TrainStepResult> results, List<BaselineEnvironment> baselines) {
        public Report {
            results = List.copyOf(results);
            baselines = List.copyOf(baselines);
        }

        /**
         * {@code row}'s time over Ember eager's for the same network and thread count (above 1: Ember
         * eager is faster); empty when Ember eager was not measured there.
         */
        public OptionalDouble timeVsEmberEager(TrainStepResult row) {
            return results.stream()
                    .filter(r -> r.isEmberEager() && r.network() == row.network() && r.threads() == row.threads())
                    .mapToDouble(r -> row.micros() / r.micros()).findFirst();
        }
    }

    /** Seconds of steps before timing each network. */
    private static final double WARM_UP_SECONDS = 5;

    private TrainStepComparison() {
    }

    public static Report run(Options options, Consumer<String> progress) {
        progress.accept("machine: " + Machine.describe());   // every figure names the CPU it came from
        List<TrainStepResult> results = new ArrayList<>();
        List<BaselineEnvironment> environments = new ArrayList<>();
        for (int threads : options.threads()) {
            Backend backend = BenchBackends.open(options.backend(), threads);
            List<BaselineServer> servers = BaselineServer.startAll(options.baselines(), threads, environments, progress);
            try {
                for (TrainNetwork network : options.networks()) {
                    List<TrainStepResult> rows = measure(backend, servers, network, threads, options.rounds());
                    results.addAll(rows);
                    StringBuilder line = new StringBuilder(network.model() + " threads=" + threads + ":");
                    rows.forEach(r -> line.append(String.format(" %s %s %.1f us;", r.engine(), r.mode(), r.micros())));
                    progress.accept(line.toString());
                }
            } finally {
                servers.forEach(BaselineServer::close);
                backend.close();
            }
        }
        return new Report(results, environments);
    }

    /** Ember's row, then one per baseline server, from interleaved rounds. */
    private static List<TrainStepResult> measure(Backend backend, List<BaselineServer> servers, TrainNetwork network,
                                                 int threads, int rounds) {
        int reps = repetitionsFor(network);
        double[] eager = new double[rounds];
        double[] traced = new double[rounds];
        double[][] base = new double[servers.size()][rounds];
        try (TrainStepProblem eagerStep = new TrainStepProblem(backend, network, false);
             TrainStepProblem tracedStep = new TrainStepProblem(backend, network, true)) {
            // warm-up: long enough for C2 to compile the whole step
            Timing.warmUp(eagerStep::step, WARM_UP_SECONDS, reps);
            Timing.warmUp(tracedStep::step, WARM_UP_SECONDS, reps);
            for (int r = 0; r < rounds; r++) {
                eager[r] = Timing.medianSeconds(eagerStep::step, 1, reps);
                traced[r] = Timing.medianSeconds(tracedStep::step, 1, reps);
                for (int s = 0; s < servers.size(); s++) {
                    base[s][r] = servers.get(s).medianSeconds(network.key() + " " + reps);
                }
            }
        }
        List<TrainStepResult> rows = new ArrayList<>();
        rows.add(new TrainStepResult(network, threads, TrainStepResult.EMBER, TrainStepResult.EAGER, backend.name(),
                Timing.median(eager) * 1e6));
        rows.add(new TrainStepResult(network, threads, TrainStepResult.EMBER, TrainStepResult.TRACED, backend.name(),
                Timing.median(traced) * 1e6));
        for (int s = 0; s < servers.size(); s++) {
            rows.add(new TrainStepResult(network, threads, servers.get(s).environment().engine(),
                    TrainStepResult.EAGER, "cpu", Timing.median(base[s]) * 1e6));
        }
        return rows;
    }

    /** About a quarter second of work per round at ~10 GFLOPS, between 50 and 2000 steps. */
    private static int repetitionsFor(TrainNetwork network) {
        return (int) Math.max(50, Math.min(2000, 0.25 * 10e9 / network.flops()));
    }

    /** The report as a table, then what each baseline ran with. */
    public static String format(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-20s %7s %-8s %-6s %-7s %12s %9s%n", "network", "threads", "engine", "mode",
                "backend", "us/step", "vs ember"));
        for (TrainStepResult r : report.results()) {
            OptionalDouble ratio = report.timeVsEmberEager(r);
            sb.append(String.format("%-20s %7d %-8s %-6s %-7s %12.1f %9s%n", r.network().model(), r.threads(),
                    r.engine(), r.mode(), r.backend(), r.micros(),
                    ratio.isPresent() ? String.format("%.2f", ratio.getAsDouble()) : "-"));
        }
        sb.append("vs ember = time / Ember eager's time, same network and threads (above 1: Ember is faster)\n");
        sb.append("baselines:\n");
        report.baselines().forEach(b -> sb.append("  ").append(b.description()).append('\n'));
        return sb.toString();
    }
}
