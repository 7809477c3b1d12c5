package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.layers.Activation;

/**
 * A training objective: a scalar from the model's outputs and the labels, recorded on the tape.
 *
 * <p>A loss meant for probabilities may name the output activation it undoes ({@link #fusedActivation}):
 * when the model ends in that activation, training skips it and calls {@link #fromLogits} on the
 * pre-activation values instead, which is exact and numerically stable.
 */
public interface Loss {
    String name();

    /** The loss of {@code outputs} (what the model returns) against {@code labels}. */
    Tensor compute(Tensor outputs, Tensor labels);

    /** The output activation this loss can absorb, or null. */
    default Activation.Kind fusedActivation() {
        return null;
    }

    /** The loss computed from the values before {@link #fusedActivation()}. */
    default Tensor fromLogits(Tensor logits, Tensor labels) {
        throw new UnsupportedOperationException(name() + ": no logits form");
    }
}
