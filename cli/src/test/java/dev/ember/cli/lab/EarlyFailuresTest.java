package dev.ember.cli.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ember.cli.lab.LabRuns.ember;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What would fail late fails first, in one line, before any experiment starts: an output directory
 * that cannot be written, missing Fashion-MNIST files, and a data set too small for an experiment.
 */
class EarlyFailuresTest {
    @TempDir
    Path dir;

    private static final String STARTED = "ember lab init on";

    @Test
    void anUnwritableOutFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (String option : new String[] {"--out", "--save"}) {
            LabRuns.Run r = ember("lab", "init", "--quick", "--backend", "cpu", option, file.resolve("plots").toString());
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).hasLineCount(1).startsWith("lab: " + option + " " + file.resolve("plots")
                    + " cannot be written: ").doesNotContain(STARTED);
        }
    }

    @Test
    void missingDataFailsBeforeTheFirstExperiment() {
        LabRuns.Run r = ember("lab", "all", "--quick", "--backend", "cpu", "--data", dir.resolve("none").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).hasLineCount(1).contains("Fashion-MNIST not found: no train-images-idx3-ubyte[.gz] in "
                + dir.resolve("none")).doesNotContain(STARTED);
    }

    private static byte[] idx(int[] dims, int values) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((0x08 << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        for (int i = 0; i < values; i++) {
            out.writeByte(i % 10);
        }
        return bytes.toByteArray();
    }

    @Test
    void aDataSetTooSmallSaysWhatIsNeeded() throws IOException {
        for (String prefix : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {100, 28, 28}, 100 * 784));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {100}, 100));
        }
        LabRuns.Run all = ember("lab", "all", "--quick", "--backend", "cpu", "--data", dir.toString());
        assertThat(all.exitCode()).isEqualTo(1);
        assertThat(all.err()).hasLineCount(1).contains("lab batchnorm: needs 3000 Fashion-MNIST training examples"
                + " (2000 training + 1000 dev), the training set in " + dir + " has 100").doesNotContain(STARTED);
        LabRuns.Run gradients = ember("lab", "gradients", "--quick", "--backend", "cpu", "--data", dir.toString());
        assertThat(gradients.err()).contains("lab gradients: needs 1524 Fashion-MNIST training examples (1024 training"
                + " + 500 dev)");
        LabRuns.Run tune = ember("lab", "tune", "--quick", "--backend", "cpu", "--data", dir.toString());
        assertThat(tune.err()).contains("lab tune: needs 12000 Fashion-MNIST training examples (10000 dev + at least"
                + " 2000 training)");
        LabRuns.Run softmax = ember("lab", "softmax", "--quick", "--backend", "cpu", "--data", dir.toString());
        assertThat(softmax.err()).contains("lab softmax: needs 200 Fashion-MNIST training examples");
    }

    @Test
    void experimentsCheckTheirDataWhenRunDirectlyToo() throws IOException {
        for (String prefix : new String[] {"train", "t10k"}) {
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), idx(new int[] {100, 28, 28}, 100 * 784));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), idx(new int[] {100}, 100));
        }
        LabContext ctx = new LabContext(dev.ember.core.Backends.byName("cpu"), dev.ember.core.DType.F32, 1, false,
                0.05, null, dir, line -> { });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BatchNormExperiment().run(ctx))
                .hasMessage("lab batchnorm: needs 3000 Fashion-MNIST training examples (2000 training + 1000 dev),"
                        + " the training set in " + dir + " has 100");
    }
}
