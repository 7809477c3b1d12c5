package dev.ember.core.spi;

/** Element-wise binary operations between two {@link Operand}s. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN,
    /** 1 where a > b, else 0: the mask that routes gradients through max and ReLU-like ops. */
    GREATER
}
