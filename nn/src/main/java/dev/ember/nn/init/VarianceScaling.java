package dev.ember.nn.init;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;

/**
 * Normal or uniform values whose variance is {@code gain / n}, where {@code n} is the fan-in, or the
 * mean of fan-in and fan-out: He ({@code 2/fan_in}), Xavier/Glorot ({@code 2/(fan_in+fan_out)}),
 * LeCun ({@code 1/fan_in}, i.e. standard normal / sqrt(fan_in)). Uniform draws from
 * {@code [-limit, limit)} with {@code limit = sqrt(3 * variance)}.
 */
public record VarianceScaling(String name, double gain, boolean averageFans, boolean uniform) implements Initializer {
    @Override
    public Tensor create(Backend backend, DType dtype, Shape shape, int fanIn, int fanOut, long seed, long stream) {
        double n = averageFans ? (fanIn + fanOut) / 2.0 : fanIn;
        double variance = gain / n;
        if (uniform) {
            double limit = Math.sqrt(3 * variance);
            return Tensor.random(backend, dtype, Distribution.UNIFORM, -limit, limit, seed, stream, shape.dims());
        }
        return Tensor.random(backend, dtype, Distribution.NORMAL, 0, Math.sqrt(variance), seed, stream, shape.dims());
    }
}
