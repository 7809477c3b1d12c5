package dev.ember.core.reference;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;

/**
 * A reference buffer: every element is a double, and an F32 buffer only ever holds values that are
 * exact floats (each write rounds to the dtype), so one scalar definition of every op serves both dtypes.
 */
final class ReferenceBuffer implements DeviceBuffer {
    private final ReferenceBackend backend;
    private final DType dtype;
    final double[] values;
    private volatile boolean freed;

    ReferenceBuffer(ReferenceBackend backend, DType dtype, int length) {
        this.backend = backend;
        this.dtype = dtype;
        this.values = new double[length];
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return values.length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    void markFreed() {
        freed = true;
    }

    boolean isFreed() {
        return freed;
    }

    /** Stores {@code v} rounded to this buffer's dtype. */
    void set(int i, double v) {
        values[i] = dtype == DType.F32 ? (double) (float) v : v;
    }
}
