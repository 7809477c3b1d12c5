package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.nn.layers.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.ember.cli.lab.LabRuns.ember;
import static dev.ember.cli.lab.LabRuns.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The gradients experiment, quick, on the CPU with seed 1: the orders of magnitude of the
 * first-over-last gradient-norm ratio, the flags, the divergences and what the remedies change; and
 * the same figures, bit for bit, when variants run again.
 */
class GradientsExperimentTest {
    @TempDir
    Path dir;

    @Test
    void deepSigmoidVanishesHeReluDoesNotAndTheRemediesWork() throws Exception {
        assumeTrue(Files.isRegularFile(LabData.FASHION_DEFAULT.resolve("train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        LabRuns.Run r = ember("lab", "gradients", "--backend", "cpu", "--quick", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("experiment").asText()).isEqualTo("gradients");
        assertThat(j.get("variants")).hasSize(17);

        // sigmoid with N(0,1)x0.01: each layer passes back about 0.01 * sqrt(64) * 1/4 of the gradient,
        // so the first layer's norm is 23 orders of magnitude below the last's (in F32, summed in F64)
        JsonNode small = variant(j, "sigmoid-small");
        assertThat(exponent(small.get("gradient_ratio_first_last").asDouble())).isEqualTo(-24);
        assertThat(small.get("vanishing_layers_at_start").asInt()).isEqualTo(11);
        // He + ReLU keeps the first layer within one order of magnitude of the last
        JsonNode he = variant(j, "relu-he");
        assertThat(exponent(he.get("gradient_ratio_first_last").asDouble())).isZero();
        assertThat(he.get("vanishing_layers_at_start").asInt() + he.get("exploding_layers_at_start").asInt()).isZero();
        // the matched initialisations, and sigmoid's slope of at most 1/4 defeating even Xavier
        assertThat(exponent(variant(j, "tanh-xavier").get("gradient_ratio_first_last").asDouble())).isZero();
        assertThat(exponent(variant(j, "sigmoid-xavier").get("gradient_ratio_first_last").asDouble())).isEqualTo(-9);
        // N(0,1): tanh saturates forward and explodes backward; ReLU's forward signal grows 10 orders and the
        // first update makes the loss infinite
        JsonNode tanhNormal = variant(j, "tanh-normal");
        assertThat(exponent(tanhNormal.get("gradient_ratio_first_last").asDouble())).isEqualTo(4);
        assertThat(tanhNormal.get("exploding_layers_at_start").asInt()).isEqualTo(5);
        JsonNode reluNormal = variant(j, "relu-normal");
        assertThat(reluNormal.get("diverged_at_step").asInt()).isEqualTo(2);
        assertThat(reluNormal.has("final_cost")).isFalse();
        assertThat(reluNormal.get("samples").get(0).get("activation_std").get(DeepNet.HIDDEN - 1).asDouble())
                .isGreaterThan(1e9);

        // batch norm brings the vanishing and the exploding ratios back within an order of magnitude
        for (String name : List.of("sigmoid-xavier+bn", "tanh-normal+bn", "relu-normal+bn")) {
            assertThat(exponent(variant(j, name).get("gradient_ratio_first_last").asDouble())).as(name).isZero();
            assertThat(variant(j, name).get("diverged").asBoolean()).as(name).isFalse();
        }
        // clipping: the raw gradients are the same at step 1; the clipped run ends lower
        JsonNode loud = variant(j, "relu-he lr=1");
        JsonNode clipped = variant(j, "relu-he+clip1 lr=1");
        assertThat(clipped.get("clip_norm").asDouble()).isEqualTo(1);
        assertThat(clipped.get("gradient_ratio_first_last").asDouble())
                .isEqualTo(loud.get("gradient_ratio_first_last").asDouble());
        assertThat(clipped.get("final_cost").asDouble()).isLessThan(loud.get("final_cost").asDouble());

        JsonNode first = small.get("samples").get(0);
        assertThat(first.get("step").asInt()).isEqualTo(1);
        assertThat(first.get("gradient_norms")).hasSize(DeepNet.DEPTH);
        assertThat(first.get("activation_std")).hasSize(DeepNet.HIDDEN);
        assertThat(small.get("global_gradient_norms").size()).isPositive();
        assertThat(r.err()).contains("|g1|/|g15|").contains("sigmoid-xavier -> sigmoid-xavier+bn")
                .contains("relu-he lr=1 -> relu-he+clip1 lr=1");
        // again, in the same process: every figure but the time is the same, bit for bit (and the plots)
        LabContext ctx = new LabContext(Backends.byName("cpu"), DType.F32, 1, false, 0.05, dir, null, line -> {
        });
        ExperimentResult again = new GradientsExperiment().run(ctx, Map.of("again", List.of(
                new DeepNet(Activation.Kind.SIGMOID, DeepNet.Init.SMALL, false, 0, DeepNet.RATE),
                new DeepNet(Activation.Kind.RELU, DeepNet.Init.HE, false, GradientsExperiment.CLIP_NORM,
                        GradientsExperiment.EXPLODING_RATE))));
        assertThat(again.plots()).containsExactly("gradients-again-costs.png", "gradients-again-global.png",
                "gradients-again-depth.png", "gradients-again-activations.png", "gradients-sigmoid-small-time.png",
                "gradients-relu-he-clip1_lr_1-time.png");
        assertThat(Files.readAllBytes(dir.resolve("gradients-again-depth.png"))).startsWith(0x89, 'P', 'N', 'G');
        ObjectMapper json = new ObjectMapper();
        for (VariantResult v : again.variants()) {
            assertThat(withoutSeconds(json.readTree(LabCommand.write(v)))).as(v.name())
                    .isEqualTo(withoutSeconds(variant(j, v.name())));
        }
    }

    private static int exponent(double v) {
        return (int) Math.floor(Math.log10(v));
    }

    private static JsonNode withoutSeconds(JsonNode variant) {
        ObjectNode copy = variant.deepCopy();
        copy.remove("seconds");
        return copy;
    }
}
