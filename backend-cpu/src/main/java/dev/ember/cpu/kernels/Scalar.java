package dev.ember.cpu.kernels;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.UnaryOp;

/**
 * Scalar definitions of the element-wise operations, in double. Vector tails use them for both
 * dtypes: F32 values widen exactly, and rounding the double result of +, -, *, /, sqrt back to
 * float gives the same bits as the float operation (double has more than 2 * 24 + 2 bits).
 */
final class Scalar {
    private Scalar() {
    }

    static double unary(UnaryOp op, double p, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case SIGN -> Math.signum(x);
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case POW_SCALAR -> Math.pow(x, p);
            case MIN_SCALAR -> Math.min(x, p);
            case MAX_SCALAR -> Math.max(x, p);
            case TANH -> Math.tanh(x);
        };
    }

    static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GREATER -> a > b ? 1 : 0;
        };
    }

    /** 1 / (1 + e^-x) through e^-|x|, which never overflows. */
    static double sigmoid(double x) {
        double e = Math.exp(-Math.abs(x));
        double s = 1.0 / (1.0 + e);
        return x >= 0 ? s : e * s;
    }

    static double activation(Activation act, double alpha, double x) {
        return switch (act) {
            case RELU -> Math.max(x, 0.0);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
        };
    }

    /** {@code dy * act'(x)}, from the input {@code x} (ReLUs) or the output {@code y} (sigmoid, tanh). */
    static double activationGrad(Activation act, double alpha, double x, double y, double dy) {
        return switch (act) {
            case RELU -> x > 0 ? dy : 0.0;
            case LEAKY_RELU -> x > 0 ? dy : alpha * dy;
            case SIGMOID -> dy * (y * (1.0 - y));
            case TANH -> dy * ((1.0 - y) * (1.0 + y));
        };
    }
}
