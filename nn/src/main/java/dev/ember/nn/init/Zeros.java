package dev.ember.nn.init;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;

/** All zeros (or a constant): the symmetric start that the "init" lesson shows failing to break symmetry. */
public record Zeros(double value) implements Initializer {
    public Zeros() {
        this(0);
    }

    @Override
    public Tensor create(Backend backend, DType dtype, Shape shape, int fanIn, int fanOut, long seed, long stream) {
        return value == 0 ? Tensor.zeros(backend, dtype, shape) : Tensor.full(backend, dtype, value, shape.dims());
    }
}
