package dev.ember.cpu;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;

/** A CPU buffer: a Java array, so the Vector API can load and store it without copies. */
final class CpuBuffer implements DeviceBuffer {
    private final CpuBackend backend;
    private final DType dtype;
    final float[] floats;
    final double[] doubles;

    CpuBuffer(CpuBackend backend, DType dtype, int length) {
        this.backend = backend;
        this.dtype = dtype;
        this.floats = dtype == DType.F32 ? new float[length] : null;
        this.doubles = dtype == DType.F64 ? new double[length] : null;
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return dtype == DType.F32 ? floats.length : doubles.length;
    }

    @Override
    public Backend backend() {
        return backend;
    }
}
