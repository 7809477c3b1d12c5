package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static dev.ember.cli.lab.LabRuns.cost;
import static dev.ember.cli.lab.LabRuns.ember;
import static dev.ember.cli.lab.LabRuns.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Shortened runs of each experiment (Philox RNG, F32, CPU), the JSON document, the table and the plots. */
class LabCommandTest {
    @TempDir
    Path dir;

    @Test
    void initZerosNeverBreaksSymmetryAndHeLearns() throws Exception {
        LabRuns.Run r = ember("lab", "init", "--backend", "cpu", "--scale", "0.1", "--json", "--out",
                dir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("experiment").asText()).isEqualTo("init");
        assertThat(j.get("backend").asText()).isEqualTo("cpu");
        assertThat(j.get("dtype").asText()).isEqualTo("f32");
        assertThat(j.get("seed").asLong()).isEqualTo(1);
        assertThat(j.get("seconds").asDouble()).isPositive();
        JsonNode zeros = variant(j, "zeros");
        JsonNode he = variant(j, "he");
        JsonNode random = variant(j, "random");
        // zeros: every hidden unit stays 0, the output stays at 0.5: cost ln 2, accuracy exactly 50%
        assertThat(zeros.get("train_accuracy").asDouble()).isEqualTo(0.5);
        assertThat(zeros.get("test_accuracy").asDouble()).isEqualTo(0.5);
        assertThat(zeros.get("final_cost").asDouble()).isCloseTo(Math.log(2), within(1e-6));
        assertThat(he.get("final_cost").asDouble()).isLessThan(zeros.get("final_cost").asDouble());
        // N(0,1)x10: a saturated sigmoid, a first cost far above ln 2
        assertThat(cost(random, 0)).isGreaterThan(2);
        assertThat(he.get("costs").size()).isGreaterThan(10);
        assertThat(he.has("dev_accuracy")).isFalse();
        assertThat(r.err()).contains("variant").contains("train acc").contains("init/he: iteration 1500/1500");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder("init-costs.png", "init-zeros-boundary.png", "init-random-boundary.png",
                            "init-he-boundary.png");
        }
        assertThat(Files.readAllBytes(dir.resolve("init-costs.png"))).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void regularizationReducesOverfitting() throws Exception {
        LabRuns.Run r = ember("lab", "regularization", "--backend", "cpu", "--scale", "0.1", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();
        double none = variant(j, "none").get("test_accuracy").asDouble();
        double l2 = variant(j, "l2").get("test_accuracy").asDouble();
        // L2's cost carries the weight penalty, so it stays above the unregularised cost
        assertThat(variant(j, "l2").get("final_cost").asDouble())
                .isGreaterThan(variant(j, "none").get("final_cost").asDouble());
        assertThat(l2).isGreaterThanOrEqualTo(none - 0.02);
        assertThat(variant(j, "dropout").get("test_accuracy").asDouble()).isGreaterThan(0.85);
    }

    @Test
    void gradcheckPassesCorrectBackpropAndCatchesThePlantedBug() throws Exception {
        LabRuns.Run r = ember("lab", "gradcheck", "--backend", "cpu", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("dtype").asText()).isEqualTo("f64");
        JsonNode good = variant(j, "backprop");
        JsonNode bad = variant(j, "planted-bug");
        assertThat(good.get("verdict").asText()).isEqualTo("GOOD");
        assertThat(good.get("relative_difference").asDouble()).isLessThan(2e-7);
        assertThat(bad.get("verdict").asText()).isEqualTo("BUG");
        assertThat(bad.get("relative_difference").asDouble()).isGreaterThan(1e-3);
        // the bug doubles the gradient at layer 2's pre-activation: layers 1-2 wrong, layer 3 right
        assertThat(bad.get("per_parameter").get("W1").asDouble()).isGreaterThan(1e-3);
        assertThat(bad.get("per_parameter").get("b2").asDouble()).isGreaterThan(1e-3);
        assertThat(bad.get("per_parameter").get("W3").asDouble()).isLessThan(2e-7);
        assertThat(r.err()).contains("planted-bug").contains("BUG");
    }

    @Test
    void optimizersAdamOutrunsGradientDescent() throws Exception {
        LabRuns.Run r = ember("lab", "optimizers", "--backend", "cpu", "--scale", "0.05", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("variants")).hasSize(6);
        double gd = variant(j, "gd").get("final_cost").asDouble();
        double adam = variant(j, "adam").get("final_cost").asDouble();
        assertThat(adam).isLessThan(gd - 0.05);
        assertThat(variant(j, "adam+decay").get("train_accuracy").asDouble())
                .isGreaterThan(variant(j, "gd").get("train_accuracy").asDouble());
        assertThat(variant(j, "gd").has("test_accuracy")).isFalse();   // the moons have no test set
        assertThat(variant(j, "gd").get("costs").get(0).get(0).asInt()).isZero();
    }

    @Test
    void badNamesAndOptionsAreUsageErrors() {
        LabRuns.Run r = ember("lab", "nope");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown experiment 'nope'").contains("optimizers");
        assertThat(ember("lab", "init", "--dtype", "f16").err()).contains("f32 or f64");
        assertThat(ember("lab", "init", "--init-rng", "mt").err()).contains("philox or numpy");
        assertThat(ember("lab", "init", "--scale", "2").err()).contains("(0, 1]");
        LabRuns.Run list = ember("lab", "list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).isEmpty();
        assertThat(list.err()).contains("init").contains("regularization").contains("gradcheck").contains("optimizers");
    }
}
