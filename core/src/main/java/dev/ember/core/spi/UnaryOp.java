package dev.ember.core.spi;

/** Element-wise unary operations; those marked "param" read the scalar parameter {@code p}. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, SQRT, RSQRT, SQUARE, RECIPROCAL,
    /** -1, 0 or 1, keeping -0 and NaN as they are ({@link Math#signum}). */
    SIGN,
    /** x + p */
    ADD_SCALAR,
    /** x * p */
    MUL_SCALAR,
    /** x ^ p */
    POW_SCALAR,
    /** min(x, p): clipping by value from above; NaN if x is NaN */
    MIN_SCALAR,
    /** max(x, p): clipping by value from below; NaN if x is NaN */
    MAX_SCALAR,
    /** The hyperbolic tangent: a primitive, because no composition of the others is accurate near 0. */
    TANH
}
