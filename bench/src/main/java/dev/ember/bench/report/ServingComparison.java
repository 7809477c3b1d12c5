package dev.ember.bench.report;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.ServingProblem;
import dev.ember.core.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Consumer;

/**
 * Inference of the 784→256→128→10 softmax MLP ({@link ServingProblem}) per call, at each batch size:
 * Ember's serving path ({@code predictInto}) and Tensor API ({@code predict}), next to numpy's
 * ({@code numpy_forward.py}) and PyTorch's ({@code torch_forward.py}) forward pass and softmax at the
 * same thread count, in one invocation. They are timed in alternating rounds, so a noisy neighbour
 * slows all alike; each figure is the median over rounds of per-round medians. Ember's bytes per
 * call are counted over the same timed calls. A baseline that cannot run (no python, no numpy, no
 * torch) is reported with its reason and left out of the rows.
 */
public final class ServingComparison {
    /** The largest batch a run accepts: its input is one Java array. */
    public static final int MAX_BATCH = 65536;

    /** Seconds of calls per API and batch size before timing, unless told otherwise. */
    public static final double DEFAULT_WARM_UP_SECONDS = 3;

    /** What to measure, and against which baselines. */
    public record Options(String backend, List<Integer> batches, List<Integer> threads, int rounds,
                          double warmUpSeconds, List<Baseline> baselines) {
        public Options {
            check(batches, threads, rounds, warmUpSeconds);
            if (backend == null || backend.isBlank()) {
                throw new IllegalArgumentException("bench serve: a backend name is required, got '" + backend + "'");
            }
            batches = List.copyOf(batches);
            threads = List.copyOf(threads);
            baselines = List.copyOf(baselines);
        }

        /**
         * Rejects what {@link Options} would, without a backend name: callers check the options
         * before resolving the backend, which may probe devices.
         */
        public static void check(List<Integer> batches, List<Integer> threads, int rounds, double warmUpSeconds) {
            if (batches.isEmpty() || threads.isEmpty()) {
                throw new IllegalArgumentException("bench serve: --batches and --threads must not be empty");
            }
            for (int b : batches) {
                if (b < 1 || b > MAX_BATCH) {
                    throw new IllegalArgumentException("bench serve: batch sizes (--batches) must be between 1 and "
                            + MAX_BATCH + ", got " + b);
                }
            }
            for (int t : threads) {
                if (t < 1) {
                    throw new IllegalArgumentException("bench serve: thread counts (--threads) must be >= 1, got " + t);
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("bench serve: --rounds must be >= 1, got " + rounds);
            }
            if (!(warmUpSeconds >= 0) || Double.isInfinite(warmUpSeconds)) {
                throw new IllegalArgumentException("bench serve: --warmup seconds must be finite and >= 0, got "
                        + warmUpSeconds);
            }
        }

        /** Against numpy and PyTorch, after {@link #DEFAULT_WARM_UP_SECONDS} of warm-up. */
        public Options(String backend, List<Integer> batches, List<Integer> threads, int rounds) {
            this(backend, batches, threads, rounds, DEFAULT_WARM_UP_SECONDS,
                    List.of(Baseline.NUMPY_FORWARD, Baseline.TORCH_FORWARD));
        }
    }

    /**
     * The whole report: the machine ({@link Machine#describe()}), the rows, and what every baseline
     * ran with (or why it did not) per thread count.
     */
    public record Report(String machine, List<ServingResult> results, List<BaselineEnvironment> baselines) {
        public Report {
            results = List.copyOf(results);
            baselines = List.copyOf(baselines);
        }

        /**
         * numpy's time over {@code row}'s at the same batch and threads (above 1: {@code row} is
         * faster than numpy); empty when numpy was not measured there.
         */
        public OptionalDouble speedupVsNumpy(ServingResult row) {
            return results.stream()
                    .filter(r -> ServingResult.NUMPY.equals(r.engine()) && r.batch() == row.batch()
                            && r.threads() == row.threads())
                    .mapToDouble(r -> r.micros() / row.micros()).findFirst();
        }
    }

    private ServingComparison() {
    }

    public static Report run(Options options, Consumer<String> progress) {
        String machine = Machine.describe();
        progress.accept("machine: " + machine);
        List<ServingResult> results = new ArrayList<>();
        List<BaselineEnvironment> environments = new ArrayList<>();
        for (int threads : options.threads()) {
            Backend backend = BenchBackends.open(options.backend(), threads);
            List<BaselineServer> servers = BaselineServer.startAll(options.baselines(), threads, environments, progress);
            try {
                for (int batch : options.batches()) {
                    List<ServingResult> rows = measure(backend, servers, batch, threads, options);
                    results.addAll(rows);
                    StringBuilder line = new StringBuilder("batch " + batch + " threads=" + threads + ":");
                    rows.forEach(r -> line.append(String.format(" %s %s %.1f us;", r.engine(), r.api(), r.micros())));
                    progress.accept(line.toString());
                }
            } finally {
                servers.forEach(BaselineServer::close);
                backend.close();
            }
        }
        return new Report(machine, results, environments);
    }

    /** One row per Ember API, then one per baseline server, from interleaved rounds. */
    private static List<ServingResult> measure(Backend backend, List<BaselineServer> servers, int batch, int threads,
                                               Options options) {
        ServingProblem.Api[] apis = ServingProblem.Api.values();
        int rounds = options.rounds();
        double[][] ember = new double[apis.length][rounds];
        long[] bytes = new long[apis.length];
        double[][] base = new double[servers.size()][rounds];
        int reps;
        try (ServingProblem problem = new ServingProblem(backend, batch)) {
            reps = repetitionsFor(problem);
            Runnable[] calls = new Runnable[apis.length];
            for (int a = 0; a < apis.length; a++) {
                ServingProblem.Api api = apis[a];
                calls[a] = () -> problem.run(api);
                // long enough for C2 to compile the whole call
                Timing.warmUp(calls[a], options.warmUpSeconds(), Math.min(reps, 100));
            }
            double[] seconds = new double[reps];
            for (int r = 0; r < rounds; r++) {
                for (int a = 0; a < apis.length; a++) {
                    long before = AllocationMeter.allocatedBytes();
                    Timing.time(calls[a], seconds);
                    bytes[a] += AllocationMeter.allocatedBytes() - before;
                    ember[a][r] = Timing.median(seconds);
                }
                for (int s = 0; s < servers.size(); s++) {
                    base[s][r] = servers.get(s).medianSeconds(batch + " " + reps);
                }
            }
        }
        List<ServingResult> rows = new ArrayList<>();
        for (int a = 0; a < apis.length; a++) {
            double perCall = AllocationMeter.supported() ? (double) bytes[a] / ((long) rounds * reps) : Double.NaN;
            rows.add(new ServingResult(batch, threads, ServingResult.EMBER, apis[a].key(), backend.name(),
                    Timing.median(ember[a]) * 1e6, perCall));
        }
        for (int s = 0; s < servers.size(); s++) {
            rows.add(new ServingResult(batch, threads, servers.get(s).environment().engine(), ServingResult.FORWARD,
                    "cpu", Timing.median(base[s]) * 1e6, Double.NaN));
        }
        return rows;
    }

    /** About 50 ms of work per measurement at 50 GFLOPS, between 50 and 5000 calls. */
    private static int repetitionsFor(ServingProblem problem) {
        return (int) Math.max(50, Math.min(5000, 0.05 * 50e9 / problem.flops()));
    }

    /** The report as a table, then what each baseline ran with. */
    public static String format(Report report) {
        StringBuilder sb = new StringBuilder();
        sb.append("machine: ").append(report.machine()).append('\n');
        sb.append(String.format("%6s %7s %-8s %-12s %-7s %11s %9s %8s%n", "batch", "threads", "engine", "api",
                "backend", "us/call", "B/call", "x numpy"));
        for (ServingResult r : report.results()) {
            OptionalDouble speedup = report.speedupVsNumpy(r);
            sb.append(String.format("%6d %7d %-8s %-12s %-7s %11.1f %9s %8s%n", r.batch(), r.threads(), r.engine(),
                    r.api(), r.backend(), r.micros(),
                    Double.isNaN(r.bytesPerCall()) ? "-" : String.format("%.0f", r.bytesPerCall()),
                    speedup.isPresent() ? String.format("%.2f", speedup.getAsDouble()) : "-"));
        }
        sb.append("us/call = median over rounds of each round's median call (softmax probabilities of a batch, "
                + "host rows in and out)\n");
        sb.append("predict = model.predict(Tensor) on an input tensor made once, copied into a host array, closed\n");
        sb.append("B/call = bytes Ember allocated on the calling thread per timed call (ThreadMXBean)\n");
        sb.append("x numpy = numpy's time / this row's time, same batch and threads (above 1: faster than numpy)\n");
        sb.append("baselines:\n");
        report.baselines().forEach(b -> sb.append("  ").append(b.description()).append('\n'));
        return sb.toString();
    }
}
