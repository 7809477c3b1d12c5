package dev.ember.bench.report;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A baseline script (numpy or PyTorch, shipped as a resource of this module with its helper
 * {@code baseline_env.py}) running in a long-lived python process, so its timings can be
 * interleaved with Ember's. The script is started as {@code PYTHON SCRIPT THREADS}; it first prints
 * {@code ready: JSON} (what it runs with, see {@link BaselineEnvironment}) or
 * {@code unavailable: REASON}, then answers each request line with one line: median seconds.
 *
 * <p>Every baseline runs with its best honest settings, for its process only
 * ({@link #settings(int)}): its BLAS and OpenMP get Ember's thread count; {@code OPENBLAS_CORETYPE}
 * and {@code OPENBLAS_L2_SIZE}, which some machines set to work around old OpenBLAS bugs and which
 * slow a current one down, are removed; and glibc keeps freed temporaries up to 32 MiB instead of
 * returning them to the kernel ({@link #MALLOC_SETTINGS}), without which every numpy step
 * page-faults its large temporaries back in (on these VMs that made a training step look several
 * times slower than it is).
 */
public final class BaselineServer implements AutoCloseable {
    /**
     * OpenBLAS's and OpenMP's threads keep spinning for a while after a call (about 0.1 s by
     * default); waiting this long after each answer keeps them from taking a core from the next
     * Ember measurement.
     */
    private static final long SETTLE_MILLIS = 300;

    /** glibc malloc thresholds a tuned numpy deployment would use (see the class comment). */
    static final Map<String, String> MALLOC_SETTINGS = Map.of(
            "MALLOC_MMAP_THRESHOLD_", "33554432", "MALLOC_TRIM_THRESHOLD_", "1073741824");

    /** Variables removed from the baseline's environment (see the class comment). */
    static final List<String> UNSET = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final BaselineEnvironment environment;

    private BaselineServer(Process process, BufferedReader out, PrintWriter in, BaselineEnvironment environment) {
        this.process = process;
        this.out = out;
        this.in = in;
        this.environment = environment;
    }

    /**
     * Either a running server or none, with the environment it ran with or would have (its
     * {@code reason} says why there is no server: no python, no numpy, no torch).
     */
    public record Availability(BaselineServer server, BaselineEnvironment environment) {
    }

    /** The environment variables every baseline process gets, in a stable order. */
    public static Map<String, String> settings(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("baseline: threads must be >= 1, got " + threads);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OPENBLAS_NUM_THREADS", Integer.toString(threads));
        env.put("OMP_NUM_THREADS", Integer.toString(threads));
        env.put("MALLOC_MMAP_THRESHOLD_", MALLOC_SETTINGS.get("MALLOC_MMAP_THRESHOLD_"));
        env.put("MALLOC_TRIM_THRESHOLD_", MALLOC_SETTINGS.get("MALLOC_TRIM_THRESHOLD_"));
        return env;
    }

    /**
     * Starts every baseline in {@code baselines} at {@code threads} threads: each one's environment
     * (what it runs with, or why it cannot) goes to {@code environments} and {@code progress}, and
     * the servers that started are returned, the others left out with a line saying so.
     */
    public static List<BaselineServer> startAll(List<Baseline> baselines, int threads,
                                                List<BaselineEnvironment> environments, Consumer<String> progress) {
        List<BaselineServer> servers = new ArrayList<>();
        for (Baseline baseline : baselines) {
            Availability a = start(baseline, threads);
            environments.add(a.environment());
            progress.accept(a.environment().description());
            if (a.server() != null) {
                servers.add(a.server());
            } else {
                progress.accept(baseline.engine() + " baseline unavailable: going on without it");
            }
        }
        return servers;
    }

    /** Starts {@code baseline} on {@code threads} threads with the first of its pythons that answers. */
    public static Availability start(Baseline baseline, int threads) {
        Map<String, String> settings = settings(threads);
        Path script;
        try {
            script = extract(baseline.script());
        } catch (IOException e) {
            return unavailable(baseline, threads, baseline.pythons().getFirst(), settings, e.getMessage());
        }
        List<String> reasons = new ArrayList<>();
        for (String python : baseline.pythons()) {
            Availability a = startWith(baseline, python, script, threads, settings);
            if (a.server() != null) {
                return a;
            }
            reasons.add(python + ": " + a.environment().reason());
        }
        return unavailable(baseline, threads, String.join(" ", baseline.pythons()), settings,
                String.join("; ", reasons));
    }

    private static Availability startWith(Baseline baseline, String python, Path script, int threads,
                                          Map<String, String> settings) {
        try {
            ProcessBuilder pb = new ProcessBuilder(python, script.toString(), Integer.toString(threads));
            Map<String, String> env = pb.environment();
            UNSET.forEach(env::remove);
            env.putAll(settings);
            env.put("PYTHONDONTWRITEBYTECODE", "1");   // no __pycache__ left in the temporary folder
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            BufferedReader reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter writer = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
            String first = reader.readLine();
            if (first == null || !first.startsWith("ready: ")) {
                p.destroy();
                String reason = first == null ? "exited without answering"
                        : first.startsWith("unavailable: ") ? first.substring("unavailable: ".length()) : first;
                return unavailable(baseline, threads, python, settings, reason);
            }
            Map<String, Object> runtime;
            try {
                runtime = JSON.readValue(first.substring("ready: ".length()), new TypeReference<>() {
                });
            } catch (IOException e) {
                p.destroy();
                return unavailable(baseline, threads, python, settings,
                        "unreadable ready line '" + first + "': " + e.getMessage());
            }
            BaselineEnvironment environment = new BaselineEnvironment(baseline.engine(), threads, python, settings,
                    UNSET, runtime, null);
            return new Availability(new BaselineServer(p, reader, writer, environment), environment);
        } catch (IOException e) {
            return unavailable(baseline, threads, python, settings, "could not be started: " + e.getMessage());
        }
    }

    private static Availability unavailable(Baseline baseline, int threads, String python,
                                            Map<String, String> settings, String reason) {
        return new Availability(null, new BaselineEnvironment(baseline.engine(), threads, python, settings, UNSET,
                Map.of(), reason));
    }

    public BaselineEnvironment environment() {
        return environment;
    }

    /** Sends one request line and returns the median seconds the script answers. */
    public double medianSeconds(String request) {
        in.println(request);
        try {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("the " + environment.engine() + " baseline process exited");
            }
            Thread.sleep(SETTLE_MILLIS);
            return Double.parseDouble(line.trim());
        } catch (IOException e) {
            throw new UncheckedIOException(environment.engine() + " baseline failed on '" + request + "'", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(environment.engine() + " baseline interrupted", e);
        }
    }

    /**
     * Copies {@code script} and {@code baseline_env.py}, which every script imports, into a fresh
     * temporary folder: python puts the script's folder on its path.
     */
    private static Path extract(String script) throws IOException {
        Path dir = Files.createTempDirectory("ember-baseline-");
        dir.toFile().deleteOnExit();
        Path target = null;
        for (String name : List.of("baseline_env.py", script)) {
            try (InputStream s = BaselineServer.class.getResourceAsStream("/dev/ember/bench/" + name)) {
                if (s == null) {
                    throw new IOException(name + " is missing from the bench jar");
                }
                Path file = dir.resolve(name);
                Files.copy(s, file);
                file.toFile().deleteOnExit();
                target = file;
            }
        }
        return target;
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
