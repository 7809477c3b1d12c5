package dev.ember.nn.init;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;

/**
 * Values supplied from the host, e.g. weights drawn exactly as numpy draws them. Dense kernels are
 * {@code [fanIn, fanOut]}; with {@code transposed} the data is read as {@code [fanOut, fanIn]} (the
 * {@code W[l]} of shape {@code (n_l, n_{l-1})} of the deeplearning.ai notebooks) and transposed.
 */
public record HostValues(double[] values, boolean transposed) implements Initializer {
    public HostValues {
        values = values.clone();
    }

    @Override
    public Tensor create(Backend backend, DType dtype, Shape shape, int fanIn, int fanOut, long seed, long stream) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("hostValues: " + values.length + " values for a parameter of shape "
                    + shape);
        }
        double[] data = values;
        if (transposed) {
            if (shape.rank() != 2) {
                throw new IllegalArgumentException("hostValues: transposed values need a matrix, got shape " + shape);
            }
            int rows = shape.dim(0);
            int cols = shape.dim(1);
            data = new double[values.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    data[i * cols + j] = values[j * rows + i];
                }
            }
        }
        return Tensor.of(backend, dtype, data, shape.dims());
    }
}
