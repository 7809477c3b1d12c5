package dev.ember.core.spi;

/** Element-wise unary operations; those marked "param" read the scalar parameter {@code p}. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, RSQRT, SQUARE, RECIPROCAL, SIGN,
    /** x + p */
    ADD_SCALAR,
    /** x * p */
    MUL_SCALAR,
    /** x ^ p */
    POW_SCALAR,
    /** min(x, p): clipping by value from above */
    MIN_SCALAR,
    /** max(x, p): clipping by value from below */
    MAX_SCALAR
}
