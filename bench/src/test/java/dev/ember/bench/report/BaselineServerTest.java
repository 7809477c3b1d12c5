package dev.ember.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The baseline process protocol, with shell scripts standing in for python (started as
 * {@code INTERPRETER SCRIPT THREADS}), so no python, numpy or torch is needed.
 */
class BaselineServerTest {
    @TempDir
    Path dir;

    private Path fakePython(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        assertThat(file.toFile().setExecutable(true)).isTrue();
        return file;
    }

    private static Baseline baseline(String engine, Path... pythons) {
        return new Baseline(engine, "numpy_train_step.py", List.of(pythons).stream().map(Path::toString).toList());
    }

    @Test
    void settingsGiveTheThreadCountAndMallocThresholds() {
        assertThat(BaselineServer.settings(2)).containsExactly(
                Map.entry("OPENBLAS_NUM_THREADS", "2"), Map.entry("OMP_NUM_THREADS", "2"),
                Map.entry("MALLOC_MMAP_THRESHOLD_", "33554432"), Map.entry("MALLOC_TRIM_THRESHOLD_", "1073741824"));
        assertThatThrownBy(() -> BaselineServer.settings(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads must be >= 1, got 0");
    }

    @Test
    void readyLineBecomesTheEnvironmentAndTheProcessSeesTheSettings() throws IOException {
        // the fake reports the variables it was started with and its third argument (the thread count)
        Path python = fakePython("python-ok", """
                echo "ready: {\\"summary\\": \\"fake numpy\\", \\"numpy_version\\": \\"9.9\\", \
                \\"threads_arg\\": \\"$2\\", \\"mmap\\": \\"$MALLOC_MMAP_THRESHOLD_\\", \
                \\"trim\\": \\"$MALLOC_TRIM_THRESHOLD_\\", \\"blas_threads\\": \\"$OPENBLAS_NUM_THREADS\\", \
                \\"coretype\\": \\"${OPENBLAS_CORETYPE-unset}\\", \\"l2\\": \\"${OPENBLAS_L2_SIZE-unset}\\"}"
                while read line; do echo 0.00125; done
                """);
        BaselineServer.Availability a = BaselineServer.start(baseline("numpy", python), 3);
        assertThat(a.server()).as(a.environment().description()).isNotNull();
        try (BaselineServer server = a.server()) {
            BaselineEnvironment env = server.environment();
            assertThat(env.available()).isTrue();
            assertThat(env.engine()).isEqualTo("numpy");
            assertThat(env.threads()).isEqualTo(3);
            assertThat(env.python()).isEqualTo(python.toString());
            assertThat(env.env()).isEqualTo(BaselineServer.settings(3));
            assertThat(env.unset()).containsExactly("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
            assertThat(env.runtime()).containsEntry("numpy_version", "9.9").containsEntry("threads_arg", "3")
                    .containsEntry("mmap", "33554432").containsEntry("trim", "1073741824")
                    .containsEntry("blas_threads", "3").containsEntry("coretype", "unset").containsEntry("l2", "unset");
            assertThat(env.description()).startsWith("numpy, 3 thread(s): fake numpy [OPENBLAS_NUM_THREADS=3 ")
                    .contains("MALLOC_MMAP_THRESHOLD_=33554432").endsWith("unset OPENBLAS_CORETYPE OPENBLAS_L2_SIZE]");
            assertThat(server.medianSeconds("mlp 10")).isEqualTo(0.00125);
        }
    }

    @Test
    void missingTorchFallsBackWithEveryInterpretersReason() throws IOException {
        Path noTorch = fakePython("python-no-torch",
                "echo 'unavailable: PyTorch is not installed for /fake/python3 (No module named torch)'\n");
        Path missing = dir.resolve("no-such-python");
        BaselineServer.Availability a = BaselineServer.start(baseline("pytorch", noTorch, missing), 1);

        assertThat(a.server()).isNull();
        BaselineEnvironment env = a.environment();
        assertThat(env.available()).isFalse();
        assertThat(env.runtime()).isEmpty();
        assertThat(env.env()).isEqualTo(BaselineServer.settings(1));
        assertThat(env.reason())
                .startsWith(noTorch + ": PyTorch is not installed for /fake/python3 (No module named torch); ")
                .contains(missing + ": could not be started");
        assertThat(env.description()).startsWith("pytorch, 1 thread(s): unavailable: ");
    }

    @Test
    void aProcessThatSaysNothingIsUnavailable() throws IOException {
        Path silent = fakePython("python-silent", "exit 0\n");
        BaselineServer.Availability a = BaselineServer.start(baseline("numpy", silent), 1);

        assertThat(a.server()).isNull();
        assertThat(a.environment().reason()).isEqualTo(silent + ": exited without answering");
    }

    @Test
    void anUnreadableReadyLineIsUnavailable() throws IOException {
        Path garbled = fakePython("python-garbled", "echo 'ready: numpy 1.0 (not JSON)'\n");
        BaselineServer.Availability a = BaselineServer.start(baseline("numpy", garbled), 1);

        assertThat(a.server()).isNull();
        assertThat(a.environment().reason()).contains("unreadable ready line 'ready: numpy 1.0 (not JSON)'");
    }
}
