package dev.ember.bench.report;

import dev.ember.bench.TrainNetwork;

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
 * The numpy float32 training step ({@code numpy_train_step.py}, shipped in this module) timed in a
 * long-lived {@code python3} process, so its runs can be interleaved with Ember's. As for
 * {@link NumpyBaseline}: OpenBLAS gets Ember's thread count, and {@code OPENBLAS_CORETYPE} and
 * {@code OPENBLAS_L2_SIZE} are removed for this process only.
 */
public final class NumpyTrainBaseline implements AutoCloseable {
    private static final String SCRIPT = "/dev/ember/bench/numpy_train_step.py";

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final String description;

    private NumpyTrainBaseline(Process process, BufferedReader out, PrintWriter in, String description) {
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
            return new Availability(new NumpyTrainBaseline(p, reader, writer, first.substring(7)), null);
        } catch (IOException e) {
            return new Availability(null, "python3 could not be started: " + e.getMessage());
        }
    }

    /** Either a running baseline or the reason there is none. */
    public record Availability(NumpyTrainBaseline baseline, String reason) {
    }

    public String description() {
        return description;
    }

    /** Median seconds of {@code reps} training steps of {@code network} (after a few warm-up steps). */
    public double medianSeconds(TrainNetwork network, int reps) throws IOException {
        in.printf("%s %d%n", network.key(), reps);
        String line = out.readLine();
        if (line == null) {
            throw new IOException("numpy training-step baseline process exited");
        }
        return Double.parseDouble(line.trim());
    }

    private static Path extractScript() throws IOException {
        try (InputStream s = NumpyTrainBaseline.class.getResourceAsStream(SCRIPT)) {
            if (s == null) {
                throw new IOException("numpy_train_step.py is missing from the bench jar");
            }
            Path tmp = Files.createTempFile("ember-numpy-train-step", ".py");
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
