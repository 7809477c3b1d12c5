package dev.ember.nn.autodiff;

import dev.ember.core.Tensor;

/**
 * One recorded operation on a tape: its output, its inputs, how to push a gradient back through
 * it, its position on the tape and, for each input, the node of the same tape that produced it
 * ({@code null} for a leaf: a watched tensor, a variable or a constant).
 */
record Node(String name, Tensor output, Tensor[] inputs, Backward backward, int index, Node[] producers) {
}
