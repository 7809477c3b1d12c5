package dev.ember.core.spi;

/**
 * Distributions of {@link Backend#random}. Parameters {@code a} and {@code b}:
 * UNIFORM: [a, b); NORMAL: mean a, standard deviation b; BERNOULLI: keep-probability a, and b is
 * the value written for a kept element (1 / keep-probability gives an inverted-dropout mask).
 */
public enum Distribution {
    UNIFORM, NORMAL, BERNOULLI
}
