package dev.ember.bench.report;

import dev.ember.bench.GemmProblem;
import dev.ember.bench.GemmShape;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A GPU backend's own GEMM next to its vendor library's, in one process on the same device: the CUDA
 * backend with Ember's kernels against the same backend opened with {@code gemm=cublas}, in FP32 or
 * FP64 and, when asked, with TF32 tensor cores allowed on both sides. A CPU baseline such as numpy
 * means nothing next to a GPU, so for a backend with a vendor GEMM this takes {@link GemmComparison}'s place.
 *
 * <p>The operands stay on the device. Each sample times enough queued calls between two
 * {@code synchronize()} that the launch and synchronisation costs vanish even for small products; the
 * two engines alternate within every round, taking turns to go first, and each figure is the median
 * over rounds.
 */
public final class DeviceGemmComparison {
    /**
     * A vendor GEMM that a backend switches to by an option.
     *
     * @param label   the name in reports ({@code cublas})
     * @param own     the options that select the backend's own kernels (explicit, so a system-property
     *                default cannot turn both engines into the vendor's)
     * @param options the options that select the vendor's
     */
    public record Vendor(String label, Map<String, String> own, Map<String, String> options) {
        public Vendor {
            own = Map.copyOf(own);
            options = Map.copyOf(options);
        }
    }

    /** What one comparison runs: the element type, and the options both engines get. */
    public enum Precision {
        FP32(DType.F32, Map.of(TF32_OPTION, "false")),
        TF32(DType.F32, Map.of(TF32_OPTION, "true")),
        FP64(DType.F64, Map.of());

        private final DType dtype;
        private final Map<String, String> options;

        Precision(DType dtype, Map<String, String> options) {
            this.dtype = dtype;
            this.options = options;
        }

        public DType dtype() {
            return dtype;
        }

        /** {@code sgemm} or {@code dgemm}. */
        public String op() {
            return dtype == DType.F32 ? "sgemm" : "dgemm";
        }

        /** {@code fp32}, {@code tf32} or {@code fp64}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to measure; checked when made, before any work. */
    public record Options(String backend, Vendor vendor, List<GemmShape> shapes, List<Precision> precisions,
                          int rounds) {
        public Options {
            if (shapes.isEmpty() || precisions.isEmpty()) {
                throw new IllegalArgumentException("bench gemm: sizes and dtypes must not be empty");
            }
            if (rounds < 1) {
                throw new IllegalArgumentException("bench gemm: rounds must be >= 1, got " + rounds);
            }
            shapes = List.copyOf(shapes);
            precisions = List.copyOf(precisions);
        }
    }

    /** One product measured on both engines. */
    public record Row(Precision precision, GemmShape shape, double gflops, double vendorGflops) {
        /** The own kernel's throughput as a fraction of the vendor's. */
        public double ratio() {
            return gflops / vendorGflops;
        }
    }

    /**
     * The whole report.
     *
     * @param device  the device both engines ran on, as the backend describes it
     * @param machine the host, whose launch costs show in the small products
     */
    public record Report(String backend, String device, String machine, String vendor, int rounds, List<Row> rows) {
        public Report {
            rows = List.copyOf(rows);
        }
    }

    /** The backend option that lets F32 GEMMs use TF32 tensor cores, on both engines. */
    static final String TF32_OPTION = "tf32";

    /** The vendor GEMM each backend offers; a backend not listed here is compared with numpy. */
    private static final Map<String, Vendor> VENDORS = Map.of(
            "cuda", new Vendor("cublas", Map.of("gemm", "ember"), Map.of("gemm", "cublas")));

    /** Wall time of one sample: long enough that a launch's and a synchronisation's cost vanish. */
    static final double SAMPLE_SECONDS = 0.2;
    /** The most calls one sample queues (a guard for a product too fast to time). */
    static final int MAX_CALLS = 100_000;
    /** Wall time of the batch that estimates one call's time. */
    private static final double ESTIMATE_SECONDS = 0.02;
    /** Seconds of calls before each engine's first sample: module loading, the JIT and clocks settle. */
    private static final double WARM_UP_SECONDS = 0.3;

    private DeviceGemmComparison() {
    }

    /** The vendor GEMM that {@code backend} can run next to its own, if it has one. */
    public static Optional<Vendor> vendorOf(String backend) {
        return Optional.ofNullable(VENDORS.get(backend));
    }

    /**
     * One precision per element type asked for (F32 is FP32, F64 is FP64), then TF32 when asked;
     * TF32 only changes F32 products, so it needs F32 among the types.
     */
    public static List<Precision> precisions(List<DType> dtypes, boolean tf32) {
        Set<Precision> chosen = new LinkedHashSet<>();
        for (DType d : dtypes) {
            chosen.add(switch (d) {
                case F32 -> Precision.FP32;
                case F64 -> Precision.FP64;
            });
        }
        if (tf32) {
            if (!chosen.contains(Precision.FP32)) {
                throw new IllegalArgumentException("bench gemm: --tf32 compares F32 products, so it needs f32 in"
                        + " --dtype, got " + dtypes.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList());
            }
            chosen.add(Precision.TF32);
        }
        return List.copyOf(chosen);
    }

    /** The options an engine is opened with: the precision's, then the engine's own. */
    static Map<String, String> engineOptions(Precision precision, Map<String, String> engine) {
        Map<String, String> options = new HashMap<>(precision.options);
        options.putAll(engine);
        return Map.copyOf(options);
    }

    /** Calls per sample for a call of {@code secondsPerCall}: about {@link #SAMPLE_SECONDS}, at least one. */
    static int callsPerSample(double secondsPerCall) {
        if (!(secondsPerCall > 0)) {   // also NaN: a call too fast to see
            return MAX_CALLS;
        }
        return (int) Math.max(1, Math.min(MAX_CALLS, Math.ceil(SAMPLE_SECONDS / secondsPerCall)));
    }

    public static Report run(Options options, Consumer<String> progress) {
        String machine = Machine.describe();
        progress.accept("machine: " + machine);
        Vendor vendor = options.vendor();
        String device = null;
        List<Row> rows = new ArrayList<>();
        for (Precision precision : options.precisions()) {
            // both engines open before any timing, so a vendor library that cannot load fails first
            try (Backend own = Backends.open(options.backend(), engineOptions(precision, vendor.own()));
                 Backend other = Backends.open(options.backend(), engineOptions(precision, vendor.options()))) {
                if (device == null) {
                    device = own.device();
                    progress.accept("device: " + device);
                }
                for (GemmShape shape : options.shapes()) {
                    Row row = measure(own, other, precision, shape, options.rounds());
                    rows.add(row);
                    progress.accept(String.format(Locale.ROOT, "%s %s %s: ember %.0f GFLOPS, %s %.0f GFLOPS,"
                                    + " ratio %.2f", precision.label(), precision.op(), shape, row.gflops(),
                            vendor.label(), row.vendorGflops(), row.ratio()));
                }
            }
        }
        return new Report(options.backend(), device, machine, vendor.label(), options.rounds(), rows);
    }

    private static Row measure(Backend own, Backend other, Precision precision, GemmShape shape, int rounds) {
        try (GemmProblem a = new GemmProblem(own, precision.dtype(), shape);
             GemmProblem b = new GemmProblem(other, precision.dtype(), shape)) {
            int callsA = callsPerSample(warmUpAndEstimate(a));
            int callsB = callsPerSample(warmUpAndEstimate(b));
            double[] ta = new double[rounds];
            double[] tb = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {   // each engine goes first in every other round
                    ta[r] = secondsPerCall(a, callsA);
                    tb[r] = secondsPerCall(b, callsB);
                } else {
                    tb[r] = secondsPerCall(b, callsB);
                    ta[r] = secondsPerCall(a, callsA);
                }
            }
            return new Row(precision, shape, shape.flops() / Timing.median(ta) * 1e-9,
                    shape.flops() / Timing.median(tb) * 1e-9);
        }
    }

    /** Warms the engine up, then times batches four times larger each until one lasts long enough. */
    private static double warmUpAndEstimate(GemmProblem problem) {
        Timing.warmUp(problem::enqueue, WARM_UP_SECONDS, 3);
        problem.synchronize();
        for (int calls = 1; ; calls *= 4) {
            double perCall = secondsPerCall(problem, calls);
            if (perCall * calls >= ESTIMATE_SECONDS || calls >= MAX_CALLS) {
                return perCall;
            }
        }
    }

    /** Wall time of {@code calls} queued products, from an idle device to all finished, per call. */
    private static double secondsPerCall(GemmProblem problem, int calls) {
        problem.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            problem.enqueue();
        }
        problem.synchronize();
        return (System.nanoTime() - t0) * 1e-9 / calls;
    }
}
