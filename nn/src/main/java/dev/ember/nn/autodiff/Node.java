package dev.ember.nn.autodiff;

import dev.ember.core.Tensor;

/** One recorded operation on a tape: its output, its inputs and how to push a gradient back through it. */
record Node(String name, Tensor output, Tensor[] inputs, Backward backward) {
}
