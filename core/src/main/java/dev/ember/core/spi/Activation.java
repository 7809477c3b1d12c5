package dev.ember.core.spi;

/** Point-wise activations; {@code LEAKY_RELU} reads its slope for negative inputs from {@code alpha}. */
public enum Activation {
    RELU, LEAKY_RELU, SIGMOID, TANH
}
