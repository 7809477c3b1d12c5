package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.ops.F;

/**
 * {@code -mean(y log p + (1-y) log(1-p))}. With {@code fromLogits} the model's outputs are logits
 * and the stable form {@code max(z,0) - z y + log(1 + e^-|z|)} is used; otherwise outputs are
 * probabilities, and a model ending in a sigmoid is trained on its logits automatically.
 */
public record BinaryCrossEntropy(boolean fromLogits) implements Loss {
    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public Tensor compute(Tensor outputs, Tensor labels) {
        if (fromLogits) {
            return F.sigmoidCrossEntropy(outputs, labels);
        }
        // probabilities: log(p + eps) and log(1 - p + eps) keep the logs finite at 0 and 1
        double eps = 1e-12;
        Tensor a = F.mul(labels, F.log(F.addScalar(outputs, eps)));
        Tensor oneMinusY = F.addScalar(F.neg(labels), 1);
        Tensor b = F.mul(oneMinusY, F.log(F.addScalar(F.neg(outputs), 1 + eps)));
        return F.neg(F.mean(F.add(a, b)));
    }

    @Override
    public Activation.Kind fusedActivation() {
        return fromLogits ? null : Activation.Kind.SIGMOID;
    }

    @Override
    public Tensor fromLogits(Tensor logits, Tensor labels) {
        return F.sigmoidCrossEntropy(logits, labels);
    }
}
