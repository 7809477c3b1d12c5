package dev.ember.core;

import dev.ember.core.spi.ReduceOp;

/** Reductions along one axis, on the SPI's {@code [outer, length, inner]} view. */
final class Reductions {
    private Reductions() {
    }

    static Tensor reduce(String operation, ReduceOp op, Tensor x, int axis, boolean keepDims) {
        x.checkOpen(operation);
        Shape shape = x.shape();
        int a = shape.normalizeAxis(axis, operation);
        int[] dims = shape.dims();
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < a; i++) {
            outer *= dims[i];
        }
        for (int i = a + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        int[] outDims;
        if (keepDims) {
            outDims = dims.clone();
            outDims[a] = 1;
        } else {
            outDims = new int[dims.length - 1];
            for (int i = 0, j = 0; i < dims.length; i++) {
                if (i != a) {
                    outDims[j++] = dims[i];
                }
            }
        }
        Tensor out = Tensor.zeros(x.backend(), x.dtype(), Shape.of(outDims));
        int length = dims[a];
        int o = outer;
        int in = inner;
        Dense.use(x, d -> x.ops().reduce(op, d.span(), o, length, in, out.span()));
        return out;
    }

    /** Reduces every element into a scalar tensor. */
    static Tensor all(String operation, ReduceOp op, Tensor x) {
        x.checkOpen(operation);
        Tensor out = Tensor.zeros(x.backend(), x.dtype(), Shape.scalar());
        Dense.use(x, d -> x.ops().reduce(op, d.span(), 1, x.size(), 1, out.span()));
        return out;
    }
}
