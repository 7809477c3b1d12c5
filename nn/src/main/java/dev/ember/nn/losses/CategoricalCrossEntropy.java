package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.ops.F;

/**
 * Softmax cross-entropy against one-hot labels {@code [batch, classes]}, averaged over the batch and
 * computed through log-softmax. With {@code fromLogits} outputs are logits; otherwise a model ending
 * in softmax is trained on its logits automatically.
 */
public record CategoricalCrossEntropy(boolean fromLogits) implements Loss {
    @Override
    public String name() {
        return "categorical_crossentropy";
    }

    @Override
    public Tensor compute(Tensor outputs, Tensor labels) {
        if (fromLogits) {
            return F.softmaxCrossEntropy(outputs, labels);
        }
        Tensor logs = F.log(F.addScalar(outputs, 1e-12));
        return F.scale(F.sum(F.mul(labels, logs)), -1.0 / outputs.dim(0));
    }

    @Override
    public Activation.Kind fusedActivation() {
        return fromLogits ? null : Activation.Kind.SOFTMAX;
    }

    @Override
    public Tensor fromLogits(Tensor logits, Tensor labels) {
        return F.softmaxCrossEntropy(logits, labels);
    }
}
