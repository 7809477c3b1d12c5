package dev.ember.nn.train;

import dev.ember.core.DType;
import dev.ember.core.Elementwise;
import dev.ember.core.Tensor;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Backend;

/** A running sum kept on the device (in place, one kernel per add), read back only when logged. */
final class DeviceSum implements AutoCloseable {
    private final Tensor total;

    DeviceSum(Backend backend, DType dtype) {
        this.total = Tensor.zeros(backend, dtype);
    }

    /** {@code total += value} for a one-element tensor. */
    void add(Tensor value) {
        Elementwise.binaryInto(BinaryOp.ADD, total, value, total);
    }

    double read() {
        return total.item();
    }

    void reset() {
        total.fill(0);
    }

    @Override
    public void close() {
        total.close();
    }
}
