package dev.ember.nn.autodiff;

import dev.ember.core.Tensor;

/**
 * The backward pass of one recorded operation: given the gradient of the target with respect to the
 * operation's output, returns the gradient with respect to each input (same shape as that input), or
 * {@code null} where {@code needed[i]} is false.
 *
 * <p>Implementations use plain {@link Tensor} methods (never the recording ops) and return tensors
 * the tape then owns; returning {@code gradOutput} itself, or one tensor for several inputs, is allowed.
 */
@FunctionalInterface
public interface Backward {
    Tensor[] apply(Tensor gradOutput, boolean[] needed);
}
