package dev.ember.nn.losses;

import dev.ember.core.Tensor;

/**
 * A training objective: a scalar from the model's outputs and the labels, recorded on the tape.
 *
 * <p><b>The output activation belongs to the loss.</b> A model outputs whatever its last layer
 * computes. The cross-entropies take <em>logits</em> and apply the sigmoid or softmax themselves,
 * fused with the logarithm in one numerically stable form (as PyTorch's {@code BCEWithLogitsLoss}
 * and {@code CrossEntropyLoss}, or Keras with {@code from_logits=True}); so a classifier ends in a
 * plain {@code Dense} layer, never in a sigmoid or softmax. {@link #predictions} applies that same
 * activation to the outputs: it is what {@code Model.predict} returns and what metrics see.
 *
 * <p><b>Threads.</b> The built-in losses hold no state and may be shared; {@link #predictions} runs on
 * serving threads at once. An implementation used for serving must allow that too.
 */
public interface Loss {
    String name();

    /** The loss of {@code outputs} (what the model returns) against {@code labels}, recorded on the tape. */
    Tensor compute(Tensor outputs, Tensor labels);

    /**
     * The predictions the outputs stand for: probabilities for a loss on logits (a new tensor), the
     * outputs themselves otherwise (the default, returning {@code outputs}). Not recorded on the tape.
     */
    default Tensor predictions(Tensor outputs) {
        return outputs;
    }

    /**
     * Whether {@link #compute} does only device work, so a training step using it can be traced
     * ({@link dev.ember.core.Tracing}); a loss computed on the host (reading the outputs back)
     * returns false, and {@code fit} then trains eagerly.
     */
    default boolean isTraceable() {
        return true;
    }
}
