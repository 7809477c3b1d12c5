package dev.ember.nn.checkpoint;

import dev.ember.core.Backends;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A checkpoint Ember writes loads in Python, and one Python writes loads back into Ember. The script
 * ({@code roundtrip.py}) reads with the {@code safetensors} package when it imports and otherwise with
 * its own numpy reader of the format, doubles every kernel and writes the file again; Ember must
 * rebuild the model from it with those kernels. Skipped, with the reason, without python3 and numpy.
 */
class PythonRoundTripTest {
    private static final System.Logger LOG = System.getLogger(PythonRoundTripTest.class.getName());

    @TempDir
    Path dir;

    @Test
    void emberWritesPythonReadsPythonWritesEmberReads() throws Exception {
        assumeTrue(run(List.of("python3", "-c", "import numpy"), null) == 0, "python3 with numpy is not available");
        Path script = dir.resolve("roundtrip.py");
        try (InputStream in = PythonRoundTripTest.class.getResourceAsStream("roundtrip.py")) {
            Files.copy(in, script);
        }
        Path mine = dir.resolve("ember.safetensors");
        Path theirs = dir.resolve("python.safetensors");
        double[][] rows = {{0.5, -1}, {2, 0.25}};
        double[][] kernel;
        double[][] before;
        try (Sequential m = new Sequential(new Dense(2, 3), new BatchNorm(), Activation.tanh(), new Dense(1))) {
            m.backend(Backends.byName("cpu")).seed(4);
            m.compile(new Adam(0.01), Losses.meanSquaredError(), Metrics.binaryAccuracy());
            m.build(dev.ember.core.Shape.of(2));
            m.save(mine);
            kernel = new double[][] {m.variables().get(0).value().toDoubleArray()};
            before = m.predict(rows);
        }
        StringBuilder out = new StringBuilder();
        int rc = run(List.of("python3", script.toString(), mine.toString(), theirs.toString()), out);
        assertThat(rc).as(out.toString()).isZero();
        LOG.log(System.Logger.Level.INFO, "python round trip: " + out.toString().strip());
        assertThat(out.toString()).contains("\"dense_0/kernel\": [\"float32\", [2, 3]]")
                .contains("\"batch_norm_1/moving_variance\"").contains("\"layers\": [\"dense\", \"batch_norm\"");
        try (Sequential back = Model.load(theirs, Backends.byName("cpu"), null)) {
            Variable k = back.variables().get(0);
            double[] doubled = k.value().toDoubleArray();
            for (int i = 0; i < doubled.length; i++) {
                assertThat(doubled[i]).isEqualTo(2 * kernel[0][i]);
            }
            assertThat(back.optimizer()).as("compiled from the metadata").isNotNull();
            assertThat(back.predict(rows)[0][0]).isNotEqualTo(before[0][0]);
        }
    }

    private static int run(List<String> command, StringBuilder out) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException noPython) {
            return -1;
        }
        byte[] text = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        if (out != null) {
            out.append(new String(text, StandardCharsets.UTF_8));
        }
        return p.exitValue();
    }
}
