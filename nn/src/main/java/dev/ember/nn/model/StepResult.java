package dev.ember.nn.model;

import dev.ember.core.Tensor;

import java.util.List;

/**
 * What one training step leaves on the device: the loss (including regularisation) and each metric
 * summed over the batch. The caller closes it; nothing is read back to the host.
 */
public record StepResult(Tensor loss, List<Tensor> metricTotals, int batchSize) implements AutoCloseable {
    @Override
    public void close() {
        loss.close();
        metricTotals.forEach(Tensor::close);
    }
}
