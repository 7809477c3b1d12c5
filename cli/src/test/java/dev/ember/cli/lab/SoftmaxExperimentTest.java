package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ember.cli.lab.LabRuns.ember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The tape-API Fashion-MNIST experiment, shortened; and the error when the data is missing. */
class SoftmaxExperimentTest {
    @TempDir
    Path dir;

    @Test
    void aShortRunLearnsWellAboveChance() throws Exception {
        assumeTrue(Files.isRegularFile(LabData.FASHION_DEFAULT.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        LabRuns.Run r = ember("lab", "softmax", "--backend", "cpu", "--scale", "0.1", "--json", "--save", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode v = r.json().get("variants").get(0);
        // --save: the tape-trained variables as a Sequential computing the same function, so the
        // loaded model scores the experiment's own test accuracy
        try (var model = dev.ember.nn.model.Model.load(dir.resolve("softmax-mlp-784-25-12-10.safetensors"))) {
            var test = LabData.fashion(null, false);
            model.compile(new dev.ember.nn.optim.Adam(1e-4), dev.ember.nn.losses.Losses.categoricalCrossEntropy(),
                    dev.ember.nn.metrics.Metrics.categoricalAccuracy());
            assertThat(model.evaluate(test, 1000).get("accuracy")).isEqualTo(v.get("test_accuracy").asDouble());
        }
        assertThat(v.get("train_examples").asInt()).isEqualTo(6000);
        assertThat(v.get("epochs")).hasSize(1);
        // ten classes: chance is 0.1; one epoch over a tenth of the data at 1e-4 gets to about 0.33
        assertThat(v.get("test_accuracy").asDouble()).isGreaterThan(0.2);
        assertThat(v.get("final_cost").asDouble()).isLessThan(Math.log(10));
    }

    @Test
    void missingDataSaysHowToInstallIt() {
        LabRuns.Run r = ember("lab", "softmax", "--data", dir.toString(), "--quick");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("Fashion-MNIST not found").contains("apt-get install dataset-fashion-mnist")
                .contains("--data DIR");
    }
}
