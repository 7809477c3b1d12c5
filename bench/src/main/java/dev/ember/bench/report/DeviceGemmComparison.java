package dev.ember.bench.report;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A GPU backend's own SGEMM next to a vendor library's, in one process on the same device: the CUDA
 * backend with its own kernels against the same backend with {@code gemm=cublas}, in FP32 and with
 * TF32 tensor cores. Square products on device-resident operands; each sample times enough calls
 * between two {@code synchronize()} to run well past the launch and copy overheads, the engines
 * alternate within every round, and each figure is the median over rounds.
 *
 * <p>Run it where a GPU is: {@code java -cp ember-cli.jar dev.ember.bench.report.DeviceGemmComparison
 * [sizes] [rounds]}.
 */
public final class DeviceGemmComparison {
    /** One engine: a backend opened with these options. */
    record Engine(String label, Map<String, String> options) {
    }

    /** One measured product. */
    record Row(String precision, int n, String engine, double gflops) {
    }

    /** Target wall time of one sample: long enough that launch and synchronisation costs vanish. */
    private static final double SAMPLE_SECONDS = 0.2;

    private DeviceGemmComparison() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = args.length > 0
                ? java.util.Arrays.stream(args[0].split(",")).map(String::trim).map(Integer::parseInt).toList()
                : List.of(1024, 2048, 4096, 8192);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String backend = System.getProperty("ember.bench.backend", "cuda");
        List<Row> rows = new ArrayList<>();
        rows.addAll(compare(backend, "fp32", new Engine("ember", Map.of()),
                new Engine("cublas", Map.of("gemm", "cublas")), sizes, rounds));
        rows.addAll(compare(backend, "tf32", new Engine("ember", Map.of("tf32", "true")),
                new Engine("cublas", Map.of("gemm", "cublas", "tf32", "true")), sizes, rounds));
        System.out.print(format(rows));
    }

    /** Both engines on every size, alternating within each round. */
    static List<Row> compare(String backendName, String precision, Engine own, Engine vendor, List<Integer> sizes,
                             int rounds) {
        List<Row> rows = new ArrayList<>();
        try (Backend a = Backends.open(backendName, own.options());
             Backend b = Backends.open(backendName, vendor.options())) {
            System.err.println(precision + ": " + a.device());
            for (int n : sizes) {
                try (Operands oa = new Operands(a, n); Operands ob = new Operands(b, n)) {
                    int calls = Math.max(1, (int) Math.ceil(SAMPLE_SECONDS / oa.secondsPerCall()));
                    ob.secondsPerCall();
                    double[] ta = new double[rounds];
                    double[] tb = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        ta[r] = oa.time(calls);
                        tb[r] = ob.time(calls);
                    }
                    double flops = 2.0 * n * n * n;
                    rows.add(new Row(precision, n, own.label(), flops / Timing.median(ta) / 1e9));
                    rows.add(new Row(precision, n, vendor.label(), flops / Timing.median(tb) / 1e9));
                    System.err.printf(Locale.ROOT, "%s n=%d: %s %.0f GFLOPS, %s %.0f GFLOPS%n", precision, n,
                            own.label(), rows.get(rows.size() - 2).gflops(), vendor.label(), rows.getLast().gflops());
                }
            }
        }
        return rows;
    }

    /** A table: per precision and size, each engine's GFLOPS and the own kernel's fraction of the vendor's. */
    static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-6s %6s %14s %14s %8s%n", "prec", "n",
                "ember GFLOPS", "cublas GFLOPS", "ratio"));
        for (int i = 0; i + 1 < rows.size(); i += 2) {
            Row own = rows.get(i);
            Row vendor = rows.get(i + 1);
            sb.append(String.format(Locale.ROOT, "%-6s %6d %14.0f %14.0f %8.2f%n", own.precision(), own.n(),
                    own.gflops(), vendor.gflops(), own.gflops() / vendor.gflops()));
        }
        return sb.append("ratio = ember / cublas, medians of interleaved rounds\n").toString();
    }

    /** A, B and C of one square product on one backend. */
    private static final class Operands implements AutoCloseable {
        private final Backend backend;
        private final int n;
        private final DeviceBuffer a;
        private final DeviceBuffer b;
        private final DeviceBuffer c;

        Operands(Backend backend, int n) {
            this.backend = backend;
            this.n = n;
            this.a = filled(backend, n, 1);
            this.b = filled(backend, n, 2);
            this.c = backend.allocate(DType.F32, n * n);
        }

        private static DeviceBuffer filled(Backend backend, int n, long seed) {
            DeviceBuffer buffer = backend.allocate(DType.F32, n * n);
            float[] values = new float[n * n];
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextDouble() - 0.5);
            }
            backend.write(new Span(buffer, 0), values, 0, values.length);
            return buffer;
        }

        void gemm() {
            backend.gemm(false, false, n, n, n, 1, new Span(a, 0), n, new Span(b, 0), n, 0, new Span(c, 0), n);
        }

        /** Warms up (module load and JIT included) and estimates one call's time. */
        double secondsPerCall() {
            gemm();
            backend.synchronize();
            return time(3) / 3;
        }

        /** Wall time of {@code calls} products, from an idle device to all finished. */
        double time(int calls) {
            backend.synchronize();
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                gemm();
            }
            backend.synchronize();
            return (System.nanoTime() - t0) * 1e-9 / calls;
        }

        @Override
        public void close() {
            backend.free(a);
            backend.free(b);
            backend.free(c);
        }
    }
}
