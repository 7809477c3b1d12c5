package dev.ember.nn.layers;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;

/**
 * Where a {@link Dropout} layer gets its inverted-dropout masks ({@code 1/keep} for kept units, 0 for
 * dropped ones) when not from its default Philox stream: supply one to reproduce masks made
 * elsewhere (numpy's {@code rand} with a given seed, for instance). {@link #philox} gives the
 * default's masks.
 */
@FunctionalInterface
public interface MaskSource {
    /** A new mask for training pass number {@code call} (0, 1, 2, ...: the model's {@link TrainingClock}). */
    Tensor mask(Backend backend, DType dtype, Shape shape, double keepProb, long call);

    /** Philox masks: stream {@code base + call} of {@code seed}. */
    static MaskSource philox(long seed, long baseStream) {
        return (backend, dtype, shape, keep, call) -> Tensor.random(backend, dtype, Distribution.BERNOULLI, keep,
                1.0 / keep, seed, baseStream + call, shape.dims());
    }
}
