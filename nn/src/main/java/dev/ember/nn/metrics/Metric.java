package dev.ember.nn.metrics;

import dev.ember.core.Tensor;

/**
 * A metric averaged over examples. {@link #batchTotal} returns, on the device, the metric summed
 * over the batch's examples, so the training loop can accumulate without reading back every step.
 *
 * <p><b>Threads.</b> Used by the training and evaluation loop on one thread at a time.
 */
public interface Metric {
    String name();

    /**
     * The metric summed over the examples of a batch, as a scalar tensor the caller closes.
     *
     * @param predictions the model's predictions ({@link dev.ember.nn.losses.Loss#predictions}):
     *                    probabilities for a classifier trained with a cross-entropy
     */
    Tensor batchTotal(Tensor predictions, Tensor labels);
}
