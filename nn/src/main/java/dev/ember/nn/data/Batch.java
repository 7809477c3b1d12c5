package dev.ember.nn.data;

import dev.ember.core.Tensor;

/** One mini-batch on the device: views of the epoch's device copy (closing them frees nothing else). */
public record Batch(int index, Tensor features, Tensor labels) implements AutoCloseable {
    public int size() {
        return features.dim(0);
    }

    @Override
    public void close() {
        features.close();
        labels.close();
    }
}
