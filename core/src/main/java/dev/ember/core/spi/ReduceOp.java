package dev.ember.core.spi;

/**
 * Reductions along one axis. {@code ARGMAX} writes the index of the first maximum as a value of the
 * output's dtype (exact below 2^24 in F32).
 */
public enum ReduceOp {
    SUM, MEAN, MAX, MIN, ARGMAX, SUM_OF_SQUARES
}
