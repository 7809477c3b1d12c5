package dev.ember.nn.init;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;

/**
 * Creates a parameter's initial value. Random initialisers draw from the backend's counter-based
 * Philox stream {@code (seed, stream)}, so the same seed gives the same weights on every backend.
 * {@code fanIn} and {@code fanOut} are the layer's input and output widths.
 */
@FunctionalInterface
public interface Initializer {
    Tensor create(Backend backend, DType dtype, Shape shape, int fanIn, int fanOut, long seed, long stream);
}
