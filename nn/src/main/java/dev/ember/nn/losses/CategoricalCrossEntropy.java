package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.ops.F;

/**
 * Softmax cross-entropy on logits {@code [batch, classes]} against one-hot (or soft) labels, averaged
 * over the batch and computed through log-softmax (stable for logits of any size). The model ends
 * without a softmax; {@link #predictions} are the row-wise softmax.
 */
public record CategoricalCrossEntropy() implements Loss {
    @Override
    public String name() {
        return "categorical_crossentropy";
    }

    @Override
    public Tensor compute(Tensor outputs, Tensor labels) {
        return F.softmaxCrossEntropy(outputs, labels);
    }

    @Override
    public Tensor predictions(Tensor outputs) {
        return outputs.softmax();
    }
}
