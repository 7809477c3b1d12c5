package dev.ember.bench.report;

import dev.ember.bench.GemmShape;
import dev.ember.core.DType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * numpy/OpenBLAS timed in a long-lived {@code python3} process (the script ships in this module),
 * so its runs can be interleaved with Ember's. OpenBLAS gets the same thread count as Ember.
 * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}, which some machines set to work around
 * old OpenBLAS bugs and which slow a current one down, are removed for this process only.
 */
public final class NumpyBaseline implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String description;

    private NumpyBaseline(Process process, BufferedReader out, PrintWriter in, String description) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.description = description;
    }

    /** Starts the baseline, or explains why it cannot run (no python3, no numpy). */
    public static Availability start(int threads) {
        try {
            Path script = extractScript();
            ProcessBuilder pb = new ProcessBuilder("python3", script.toString());
            Map<String, String> env = pb.environment();
            env.remove("OPENBLAS_CORETYPE");
            env.remove("OPENBLAS_L2_SIZE");
            env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            env.put("OMP_NUM_THREADS", Integer.toString(threads));
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter writer = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            String first = reader.readLine();
            if (first == null || !first.startsWith("ready: ")) {
                p.destroy();
                return new Availability(null, first == null ? "python3 exited without answering" : first);
            }
            return new Availability(new NumpyBaseline(p, reader, writer, first.substring(7)), null);
        } catch (IOException e) {
            return new Availability(null, "python3 could not be started: " + e.getMessage());
        }
    }

    /** Either a running baseline or the reason there is none. */
    public record Availability(NumpyBaseline baseline, String reason) {
    }

    public String description() {
        return description;
    }

    /** Median seconds of {@code reps} products of this shape. */
    public double medianSeconds(DType dtype, GemmShape shape, int reps) throws IOException {
        in.printf("%s %d %d %d %d %d %d%n", dtype == DType.F32 ? "f32" : "f64", shape.m(), shape.n(), shape.k(),
                shape.transA() ? 1 : 0, shape.transB() ? 1 : 0, reps);
        String line = out.readLine();
        if (line == null) {
            throw new IOException("numpy baseline process exited");
        }
        return Double.parseDouble(line.trim());
    }

    private static Path extractScript() throws IOException {
        try (InputStream s = NumpyBaseline.class.getResourceAsStream("/dev/ember/bench/numpy_gemm.py")) {
            if (s == null) {
                throw new IOException("numpy_gemm.py is missing from the bench jar");
            }
            Path tmp = Files.createTempFile("ember-numpy-gemm", ".py");
            tmp.toFile().deleteOnExit();
            Files.copy(s, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
