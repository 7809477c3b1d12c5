package dev.ember.bench.report;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.TrainNetwork;
import dev.ember.bench.TrainStepProblem;
import dev.ember.core.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ember's training step next to numpy's ({@code numpy_train_step.py}) at the same thread count, in
 * one invocation. For every network the two are timed in alternating rounds, so a noisy neighbour
 * slows both alike; each side's figure is the median over rounds of per-round medians.
 */
public final class TrainStepComparison {
    /** What to measure. */
    public record Options(String backend, List<TrainNetwork> networks, List<Integer> threads, int rounds) {
        public Options {
            if (networks.isEmpty() || threads.isEmpty()) {
                throw new IllegalArgumentException("bench train: networks and threads must not be empty");
            }
            for (int t : threads) {
                if (t < 1) {
                    throw new IllegalArgumentException("bench train: thread counts must be >= 1, got " + t);
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("bench train: rounds must be >= 1, got " + rounds);
            }
        }
    }

    /** The whole report: rows and what the baseline was. */
    public record Report(List<TrainStepResult> results, String baseline) {
    }

    /** Seconds of steps before timing each network. */
    private static final double WARM_UP_SECONDS = 5;

    private TrainStepComparison() {
    }

    public static Report run(Options options, Consumer<String> progress) {
        List<TrainStepResult> results = new ArrayList<>();
        String baselineName = "none";
        for (int threads : options.threads()) {
            Backend backend = BenchBackends.open(options.backend(), threads);
            NumpyServer.Availability numpy = NumpyServer.start("numpy_train_step.py", threads);
            if (numpy.server() == null) {
                progress.accept("numpy baseline unavailable (" + numpy.reason() + "): reporting Ember alone");
            } else {
                baselineName = numpy.server().description();
            }
            try {
                for (TrainNetwork network : options.networks()) {
                    TrainStepResult r = measure(backend, numpy.server(), network, threads, options.rounds());
                    results.add(r);
                    progress.accept(String.format("%s %s threads=%d: ember %.1f us, numpy %.1f us, ratio %.2f",
                            network.model(), r.backend(), threads, r.emberMicros(), r.numpyMicros(), r.ratio()));
                }
            } finally {
                if (numpy.server() != null) {
                    numpy.server().close();
                }
                backend.close();
            }
        }
        return new Report(results, baselineName);
    }

    private static TrainStepResult measure(Backend backend, NumpyServer numpy, TrainNetwork network,
                                           int threads, int rounds) {
        int reps = repetitionsFor(network);
        double[] ember = new double[rounds];
        double[] base = new double[rounds];
        try (TrainStepProblem problem = new TrainStepProblem(backend, network)) {
            // warm-up: long enough for C2 to compile the whole step
            Timing.warmUp(problem::step, WARM_UP_SECONDS, reps);
            for (int r = 0; r < rounds; r++) {
                ember[r] = Timing.medianSeconds(problem::step, 1, reps);
                base[r] = numpy == null ? Double.NaN : numpySeconds(numpy, network, reps);
            }
        }
        double emberUs = Timing.median(ember) * 1e6;
        double numpyUs = numpy == null ? Double.NaN : Timing.median(base) * 1e6;
        return new TrainStepResult(network, backend.name(), threads, emberUs, numpy == null ? "none" : "numpy",
                numpyUs, numpyUs / emberUs);
    }

    private static double numpySeconds(NumpyServer numpy, TrainNetwork network, int reps) {
        return numpy.medianSeconds(network.key() + " " + reps);
    }

    /** About a quarter second of work per round at ~10 GFLOPS, between 50 and 2000 steps. */
    private static int repetitionsFor(TrainNetwork network) {
        return (int) Math.max(50, Math.min(2000, 0.25 * 10e9 / network.flops()));
    }

    /** The report as a table. */
    public static String format(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-20s %-7s %7s %12s %12s %7s%n", "network", "backend", "threads", "ember us",
                "numpy us", "ratio"));
        for (TrainStepResult r : report.results()) {
            sb.append(String.format("%-20s %-7s %7d %12.1f %12s %7s%n", r.network().model(), r.backend(),
                    r.threads(), r.emberMicros(),
                    Double.isNaN(r.numpyMicros()) ? "-" : String.format("%.1f", r.numpyMicros()),
                    Double.isNaN(r.ratio()) ? "-" : String.format("%.2f", r.ratio())));
        }
        sb.append("ratio = numpy time / ember time; baseline: ").append(report.baseline()).append('\n');
        return sb.toString();
    }
}
