package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.ember.cli.lab.LabRuns.ember;
import static dev.ember.cli.lab.LabRuns.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The batch-norm experiment, shortened: batch norm tolerates the largest learning rate, the plain net does not. */
class BatchNormExperimentTest {
    @TempDir
    Path dir;

    @Test
    void batchNormEndsLowerAtTheLargestRate() throws Exception {
        assumeTrue(Files.isRegularFile(LabData.FASHION_DEFAULT.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        LabRuns.Run r = ember("lab", "batchnorm", "--backend", "cpu", "--quick", "--json", "--out", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("experiment").asText()).isEqualTo("batchnorm");
        assertThat(j.get("variants")).hasSize(2 * BatchNormExperiment.RATES.length);
        double top = BatchNormExperiment.RATES[BatchNormExperiment.RATES.length - 1];
        JsonNode bn = variant(j, BatchNormExperiment.variantName(true, top));
        JsonNode plain = variant(j, BatchNormExperiment.variantName(false, top));
        assertThat(bn.get("batch_norm").asBoolean()).isTrue();
        assertThat(bn.get("diverged").asBoolean()).isFalse();
        // with batch norm the largest rate still learns: below the ln 10 of a uniform guess
        double bnCost = bn.get("final_cost").asDouble();
        assertThat(bnCost).isLessThan(Math.log(10));
        // without it the same rate diverges or ends higher
        if (!plain.get("diverged").asBoolean()) {
            assertThat(bnCost).isLessThan(plain.get("final_cost").asDouble());
        } else {
            assertThat(plain.has("final_cost")).isFalse();
        }
        assertThat(bn.get("train_accuracy").asDouble()).isGreaterThan(plain.get("train_accuracy").asDouble());
        assertThat(bn.get("costs").size()).isGreaterThan(0);
        assertThat(r.err()).contains("bn lr=" + BatchNormExperiment.rateText(top)).contains("dev acc");
        assertThat(Files.readAllBytes(dir.resolve("batchnorm-costs.png"))).startsWith(0x89, 'P', 'N', 'G');
    }
}
