package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.ops.F;

/** Mean over all elements of {@code (outputs - labels)^2}. */
public record MeanSquaredError() implements Loss {
    @Override
    public String name() {
        return "mse";
    }

    @Override
    public Tensor compute(Tensor outputs, Tensor labels) {
        return F.meanSquaredError(outputs, labels);
    }
}
