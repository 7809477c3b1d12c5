package dev.ember.bench.report;

import dev.ember.bench.BenchBackends;
import dev.ember.bench.GemmProblem;
import dev.ember.bench.GemmShape;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Ember's GEMM next to numpy/OpenBLAS at the same thread count, in one invocation. For every shape
 * the two are timed in alternating rounds, so a noisy neighbour slows both alike; each side's
 * figure is the median over rounds of per-round medians.
 */
public final class GemmComparison {
    /** What to measure. */
    public record Options(String backend, List<GemmShape> shapes, List<Integer> threads, List<DType> dtypes,
                          int rounds) {
        public Options {
            if (shapes.isEmpty() || threads.isEmpty() || dtypes.isEmpty()) {
                throw new IllegalArgumentException("bench gemm: sizes, threads and dtypes must not be empty");
            }
            for (int t : threads) {
                if (t < 1 || t > MAX_THREADS) {
                    throw new IllegalArgumentException("bench gemm: thread counts must be in [1, " + MAX_THREADS
                            + "], got " + t);
                }
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("bench gemm: rounds must be >= 1, got " + rounds);
            }
            if ("cpu".equals(backend)) {   // its buffers are Java arrays: check them against the heap now
                long heap = Runtime.getRuntime().maxMemory();
                for (GemmShape s : shapes) {
                    for (DType d : dtypes) {
                        if (s.bytes(d.bytes()) > heap) {
                            throw new IllegalArgumentException(String.format(Locale.ROOT, "bench gemm: %s %s needs"
                                    + " %.1f GiB for A, B and C, more than the Java heap's %.1f GiB (raise it with"
                                    + " -Xmx in EMBER_JAVA_OPTS)", s, d.name().toLowerCase(Locale.ROOT),
                                    s.bytes(d.bytes()) / GIB, heap / GIB));
                        }
                    }
                }
            }
        }
    }

    /**
     * The whole report: rows, the measured FP32 peak of all cores together, and what the baseline
     * ran with (or why it did not) per thread count.
     */
    public record Report(List<GemmResult> results, double peakGflops, List<BaselineEnvironment> baselines) {
        public Report {
            results = List.copyOf(results);
            baselines = List.copyOf(baselines);
        }
    }

    /** The most threads a run may ask for (a guard against typos such as 20000 for 2). */
    public static final int MAX_THREADS = 1024;
    private static final double GIB = 1L << 30;

    /** Seconds of calls before timing each shape. */
    private static final double WARM_UP_SECONDS = 1;

    private GemmComparison() {
    }

    public static Report run(Options options, Consumer<String> progress) {
        progress.accept("machine: " + Machine.describe());   // every figure names the CPU it came from
        int cores = Runtime.getRuntime().availableProcessors();
        List<GemmResult> results = new ArrayList<>();
        List<BaselineEnvironment> environments = new ArrayList<>();
        for (int threads : options.threads()) {
            double peak = PeakFlops.measure(Math.min(threads, cores));
            progress.accept(String.format("FP32 peak of %d thread(s), measured: %.0f GFLOPS", Math.min(threads, cores),
                    peak));
            Backend backend = BenchBackends.open(options.backend(), threads);
            BaselineServer.Availability numpy = BaselineServer.start(Baseline.NUMPY_GEMM, threads);
            environments.add(numpy.environment());
            progress.accept(numpy.environment().description());
            if (numpy.server() == null) {
                progress.accept("numpy baseline unavailable: reporting Ember alone");
            }
            try {
                for (DType dtype : options.dtypes()) {
                    for (GemmShape shape : options.shapes()) {
                        GemmResult r = measure(backend, numpy.server(), dtype, shape, threads, options.rounds(),
                                peak);
                        results.add(r);
                        progress.accept(String.format("%s %s %s threads=%d: %.1f GFLOPS, numpy %.1f, ratio %.2f",
                                r.op(), r.backend(), shape, threads, r.gflops(), r.baselineGflops(), r.ratio()));
                    }
                }
            } finally {
                if (numpy.server() != null) {
                    numpy.server().close();
                }
                backend.close();
            }
        }
        return new Report(results, PeakFlops.measure(cores), environments);
    }

    private static GemmResult measure(Backend backend, BaselineServer numpy, DType dtype, GemmShape shape,
                                      int threads, int rounds, double peak) {
        int reps = repetitionsFor(shape);
        double[] ember = new double[rounds];
        double[] base = new double[rounds];
        try (GemmProblem problem = new GemmProblem(backend, dtype, shape)) {
            // warm-up by time: a small product's few hundred calls end before C2 has compiled the
            // helper threads' side of the split
            Timing.warmUp(problem::run, WARM_UP_SECONDS, reps);
            for (int r = 0; r < rounds; r++) {
                ember[r] = Timing.medianSeconds(problem::run, 1, reps);
                base[r] = numpy == null ? Double.NaN : numpySeconds(numpy, dtype, shape, reps);
            }
        }
        double gflops = shape.flops() / Timing.median(ember) * 1e-9;
        double baseGflops = numpy == null ? Double.NaN : shape.flops() / Timing.median(base) * 1e-9;
        String op = dtype == DType.F32 ? "sgemm" : "dgemm";
        double fraction = gflops / (dtype == DType.F32 ? peak : peak / 2);
        return new GemmResult(op, backend.name(), shape.m(), shape.n(), shape.k(), shape.transA(), shape.transB(),
                threads, gflops, numpy == null ? "none" : "numpy", baseGflops, gflops / baseGflops, fraction);
    }

    private static double numpySeconds(BaselineServer numpy, DType dtype, GemmShape shape, int reps) {
        return numpy.medianSeconds(String.format("%s %d %d %d %d %d %d", dtype == DType.F32 ? "f32" : "f64",
                shape.m(), shape.n(), shape.k(), shape.transA() ? 1 : 0, shape.transB() ? 1 : 0, reps));
    }

    /** Enough repetitions for about a quarter second of work per round at ~50 GFLOPS. */
    private static int repetitionsFor(GemmShape shape) {
        return (int) Math.max(3, Math.min(200, 0.25 * 50e9 / shape.flops()));
    }
}
