package dev.ember.bench.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A numpy baseline script (shipped as a resource of this module) running in a long-lived
 * {@code python3} process, so its timings can be interleaved with Ember's. The script first prints
 * {@code ready: DESCRIPTION}, then answers each request line with one line: median seconds.
 *
 * <p>The baseline runs with its best honest settings, for this process only: OpenBLAS gets Ember's
 * thread count; {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE}, which some machines set to
 * work around old OpenBLAS bugs and which slow a current one down, are removed; and glibc keeps
 * freed temporaries up to 32 MiB instead of returning them to the kernel ({@link #MALLOC_SETTINGS}),
 * without which every numpy step page-faults its large temporaries back in (on these VMs that made
 * a training step look several times slower than it is). {@link #description()} names them.
 */
public final class NumpyServer implements AutoCloseable {
    /**
     * OpenBLAS's threads keep spinning for a while after a call (about 0.1 s by default); waiting
     * this long after each answer keeps them from taking a core from the next Ember measurement.
     */
    private static final long SETTLE_MILLIS = 300;

    /** glibc malloc thresholds a tuned numpy deployment would use (see the class comment). */
    static final Map<String, String> MALLOC_SETTINGS = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "33554432", "MALLOC_TRIM_THRESHOLD_", "1073741824");

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String description;

    private NumpyServer(Process process, BufferedReader out, PrintWriter in, String description) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.description = description;
    }

    /** Either a running server or the reason there is none (no python3, no numpy). */
    public record Availability(NumpyServer server, String reason) {
    }

    /** Starts {@code script} (a resource name such as {@code numpy_gemm.py}) with OpenBLAS on {@code threads} threads. */
    public static Availability start(String script, int threads) {
        try {
            Path file = extract(script);
            ProcessBuilder pb = new ProcessBuilder("python3", file.toString());
            Map<String, String> env = pb.environment();
            env.remove("OPENBLAS_CORETYPE");
            env.remove("OPENBLAS_L2_SIZE");
            env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
            env.put("OMP_NUM_THREADS", Integer.toString(threads));
            env.putAll(MALLOC_SETTINGS);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter writer = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            String first = reader.readLine();
            if (first == null || !first.startsWith("ready: ")) {
                p.destroy();
                return new Availability(null, first == null ? "python3 exited without answering" : first);
            }
            String settings = "OPENBLAS_NUM_THREADS=" + threads + " MALLOC_MMAP_THRESHOLD_="
                    + MALLOC_SETTINGS.get("MALLOC_MMAP_THRESHOLD_") + " MALLOC_TRIM_THRESHOLD_="
                    + MALLOC_SETTINGS.get("MALLOC_TRIM_THRESHOLD_") + ", OPENBLAS_CORETYPE/L2_SIZE unset";
            return new Availability(new NumpyServer(p, reader, writer, first.substring(7) + " [" + settings + "]"),
                    null);
        } catch (IOException e) {
            return new Availability(null, "python3 could not be started: " + e.getMessage());
        }
    }

    public String description() {
        return description;
    }

    /** Sends one request line and returns the median seconds the script answers. */
    public double medianSeconds(String request) {
        in.println(request);
        try {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the numpy baseline process exited");
            }
            Thread.sleep(SETTLE_MILLIS);
            return Double.parseDouble(line.trim());
        } catch (IOException e) {
            throw new UncheckedIOException("numpy baseline failed on '" + request + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("numpy baseline interrupted", e);
        }
    }

    private static Path extract(String script) throws IOException {
        try (InputStream s = NumpyServer.class.getResourceAsStream("/dev/ember/bench/" + script)) {
            if (s == null) {
                throw new IOException(script + " is missing from the bench jar");
            }
            Path tmp = Files.createTempFile("ember-" + script.replace(".py", "-"), ".py");
            tmp.toFile().deleteOnExit();
            Files.copy(s, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }

    @Override
    public void close() {
        in.close();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
