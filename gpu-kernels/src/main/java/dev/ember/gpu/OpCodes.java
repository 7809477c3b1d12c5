package dev.ember.gpu;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.UnaryOp;

/**
 * The integer codes the kernels switch on (the #defines in the .cl files), for both GPU backends.
 * Exhaustive switches, not ordinals: a new enum constant fails to compile here instead of silently
 * running the wrong op.
 */
public final class OpCodes {
    private OpCodes() {
    }

    public static int code(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case ABS -> 1;
            case EXP -> 2;
            case LOG -> 3;
            case SQRT -> 4;
            case RSQRT -> 5;
            case SQUARE -> 6;
            case RECIPROCAL -> 7;
            case SIGN -> 8;
            case ADD_SCALAR -> 9;
            case MUL_SCALAR -> 10;
            case POW_SCALAR -> 11;
            case MIN_SCALAR -> 12;
            case MAX_SCALAR -> 13;
            case TANH -> 14;
        };
    }

    public static int code(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAX -> 4;
            case MIN -> 5;
            case GREATER -> 6;
        };
    }

    public static int code(ReduceOp op) {
        return switch (op) {
            case SUM -> 0;
            case MEAN -> 1;
            case MAX -> 2;
            case MIN -> 3;
            case ARGMAX -> 4;
            case SUM_OF_SQUARES -> 5;
        };
    }

    public static int code(Activation act) {
        return switch (act) {
            case RELU -> 0;
            case LEAKY_RELU -> 1;
            case SIGMOID -> 2;
            case TANH -> 3;
        };
    }

    public static int code(Distribution distribution) {
        return switch (distribution) {
            case UNIFORM -> 0;
            case NORMAL -> 1;
            case BERNOULLI -> 2;
        };
    }
}
