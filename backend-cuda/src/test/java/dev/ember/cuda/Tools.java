package dev.ember.cuda;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The build tools some tests run (nvcc, the C compiler): found on PATH or in given directories; a
 * missing one skips the test with the reason, or fails it when {@code -Dember.requireTools} names the tool.
 * The same property makes a missing library fail the tests that use it where present ({@link #failIfRequired}).
 * It is not {@code ember.require}: that one lists backends, and every backend suite runs on each name in it.
 */
final class Tools {
    /** What one run of a tool gave. */
    record Run(int exitCode, String output) {
    }

    private Tools() {
    }

    /** The tool's path, or a skip (a failure when required) that says where it was looked for. */
    static Path require(String tool, List<Path> directories) {
        Optional<Path> found = find(tool, directories);
        if (found.isPresent()) {
            return found.get();
        }
        String reason = tool + " not found on PATH (" + System.getenv("PATH") + ")"
                + (directories.isEmpty() ? "" : " nor in " + directories);
        failIfRequired(tool, reason);
        Assumptions.abort("skipping: " + reason);
        throw new AssertionError("unreachable");
    }

    /** The system property naming the tools and libraries that must be present (comma-separated). */
    static final String REQUIRE_PROPERTY = "ember.requireTools";

    /** Whether {@code -Dember.requireTools} names {@code name}. */
    static boolean required(String name) {
        return Arrays.stream(System.getProperty(REQUIRE_PROPERTY, "").split(","))
                .map(t -> t.strip().toLowerCase(Locale.ROOT)).anyMatch(name::equals);
    }

    /** Fails the test when {@code -Dember.requireTools} names something (e.g. {@code nvrtc}) that is missing. */
    static void failIfRequired(String name, String reason) {
        if (required(name)) {
            Assertions.fail(name + " is required (-D" + REQUIRE_PROPERTY + "=" + System.getProperty(REQUIRE_PROPERTY)
                    + ") but unavailable: " + reason);
        }
    }

    static Optional<Path> find(String tool, List<Path> directories) {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String directory : path.split(File.pathSeparator)) {
                if (!directory.isBlank()) {
                    candidates.add(Path.of(directory, tool));
                }
            }
        }
        directories.forEach(d -> candidates.add(d.resolve(tool)));
        return candidates.stream().filter(Files::isRegularFile).filter(Files::isExecutable).findFirst();
    }

    /** Runs a command to completion (stdout and stderr together), failing the test if it hangs. */
    static Run run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                Assertions.fail("timed out: " + String.join(" ", command));
            }
            return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Assertions.fail("cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Assertions.fail("interrupted running " + command.getFirst(), e);
        }
    }
}
