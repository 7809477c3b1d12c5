package dev.ember.nn.layers;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;

/**
 * What a layer needs to create its parameters: where, in which dtype, the model's seed and its
 * {@link TrainingClock} (null for a layer built on its own, which then counts its own passes). Each
 * layer draws from its own Philox streams ({@code index * 16 + k}), so adding a layer never changes
 * another layer's initial weights.
 */
public record BuildContext(Backend backend, DType dtype, long seed, int index, TrainingClock clock) {
    public BuildContext(Backend backend, DType dtype, long seed, int index) {
        this(backend, dtype, seed, index, null);
    }

    public long stream(int k) {
        return (long) index * 16 + k;
    }
}
