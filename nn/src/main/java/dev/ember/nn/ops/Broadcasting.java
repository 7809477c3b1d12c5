package dev.ember.nn.ops;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;

/** Moving gradients between a broadcast result and the (smaller) shape of an operand, numpy-aligned. */
final class Broadcasting {
    private Broadcasting() {
    }

    /**
     * Sums {@code grad} over the axes along which an operand of shape {@code target} was broadcast.
     * Returns {@code grad} itself when the shapes already agree, else a new tensor.
     */
    static Tensor reduceTo(Tensor grad, Shape target) {
        if (grad.shape().equals(target)) {
            return grad;
        }
        Tensor cur = grad;
        int extra = grad.rank() - target.rank();
        for (int i = 0; i < extra; i++) {
            cur = replace(cur, cur.sum(0), grad);
        }
        for (int axis = 0; axis < target.rank(); axis++) {
            if (target.dim(axis) == 1 && cur.dim(axis) > 1) {
                cur = replace(cur, cur.sum(axis, true), grad);
            }
        }
        return replace(cur, cur.reshape(target.dims()), grad);
    }

    private static Tensor replace(Tensor old, Tensor next, Tensor keep) {
        if (old != keep) {
            old.close();
        }
        return next;
    }

    /** A new dense tensor of shape {@code target} holding {@code g} broadcast numpy-style (no arithmetic). */
    static Tensor expand(Tensor g, Shape target) {
        try (Tensor view = g.broadcastTo(target.dims())) {
            return view.copy();
        }
    }

    /** Expands the gradient of a reduction along {@code axis} back to the input's shape. */
    static Tensor expandReduced(Tensor g, Shape input, int axis, boolean keepDims) {
        if (keepDims) {
            return expand(g, input);
        }
        int[] dims = input.dims();
        dims[axis] = 1;
        try (Tensor kept = g.reshape(dims)) {
            return expand(kept, input);
        }
    }
}
