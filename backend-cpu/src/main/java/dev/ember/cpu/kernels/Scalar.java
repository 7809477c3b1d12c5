package dev.ember.cpu.kernels;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.ScalarOps;
import dev.ember.core.spi.UnaryOp;

/**
 * Scalar definitions of the element-wise operations, in double, for the vector loops' tails: the
 * primitives are core's {@link ScalarOps} (the one definition every backend agrees with), the
 * activations are the CPU's fused forms. F32 values widen exactly, and rounding the double result
 * of +, -, *, /, sqrt back to float gives the same bits as the float operation.
 */
final class Scalar {
    private Scalar() {
    }

    static double unary(UnaryOp op, double p, double x) {
        return ScalarOps.unary(op, p, x);
    }

    static double binary(BinaryOp op, double a, double b) {
        return ScalarOps.binary(op, a, b);
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
            case RELU -> dy * (x > 0 ? 1.0 : 0.0);
            case LEAKY_RELU -> x > 0 ? dy : alpha * dy;
            case SIGMOID -> dy * (y * (1.0 - y));
            case TANH -> dy * ((1.0 - y) * (1.0 + y));
        };
    }
}
