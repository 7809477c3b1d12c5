package dev.ember.core.spi;

/**
 * Point-wise activations; {@code LEAKY_RELU} reads its slope for negative inputs from {@code alpha}.
 * A leaky ReLU of slope 0 is the ReLU: core passes {@code RELU} then, so a backend's
 * {@code LEAKY_RELU} always sees {@code alpha != 0} (with 0, {@code alpha * -Inf} would be NaN).
 */
public enum Activation {
    RELU, LEAKY_RELU, SIGMOID, TANH
}
