package dev.ember.core;

import java.util.function.Consumer;

/** Runs a kernel on a contiguous version of a tensor: the tensor itself, or a temporary dense copy. */
final class Dense {
    private Dense() {
    }

    static void use(Tensor t, Consumer<Tensor> kernel) {
        if (t.isContiguous()) {
            kernel.accept(t);
        } else {
            try (Tensor copy = t.copy()) {
                kernel.accept(copy);
            }
        }
    }
}
