package dev.ember.nn.init;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;

/** Standard normal times a fixed {@code scale} (scale 10 is the classic "too large" initialisation). */
public record RandomNormal(double scale) implements Initializer {
    public RandomNormal {
        if (!(scale >= 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("randomNormal: scale must be >= 0 and finite, got " + scale);
        }
    }

    @Override
    public Tensor create(Backend backend, DType dtype, Shape shape, int fanIn, int fanOut, long seed, long stream) {
        return Tensor.random(backend, dtype, Distribution.NORMAL, 0, scale, seed, stream, shape.dims());
    }
}
