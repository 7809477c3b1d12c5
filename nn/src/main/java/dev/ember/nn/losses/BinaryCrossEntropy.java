package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.ops.F;

/**
 * Binary cross-entropy on logits {@code z}: {@code mean(max(z,0) - z y + log(1 + e^-|z|))}, which is
 * {@code -mean(y log p + (1-y) log(1-p))} for {@code p = sigmoid(z)} without overflow. The model ends
 * without a sigmoid; {@link #predictions} are {@code sigmoid(z)}.
 */
public record BinaryCrossEntropy() implements Loss {
    @Override
    public String name() {
        return "binary_crossentropy";
    }

    @Override
    public Tensor compute(Tensor outputs, Tensor labels) {
        return F.sigmoidCrossEntropy(outputs, labels);
    }

    @Override
    public Tensor predictions(Tensor outputs) {
        return outputs.sigmoid();
    }
}
