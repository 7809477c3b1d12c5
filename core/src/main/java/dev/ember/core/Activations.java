package dev.ember.core;

import dev.ember.core.spi.Activation;

/** Activation functions and softmax with their backward passes (used by the autodiff in {@code nn}). */
public final class Activations {
    private Activations() {
    }

    public static Tensor forward(Activation act, double alpha, Tensor x) {
        String op = name(act);
        x.checkOpen(op);
        Checks.finite(op, "alpha", alpha);
        Activation kind = canonical(act, alpha);
        if (x.isContiguous()) {   // out of place: one pass over x
            Tensor y = Tensor.zeros(x.backend(), x.dtype(), x.shape());
            x.ops().activation(kind, alpha, x.span(), y.span(), y.size());
            return y;
        }
        Tensor y = x.copy();
        x.ops().activation(kind, alpha, y.span(), y.span(), y.size());
        return y;
    }

    /** {@code dx = dy * act'(x)} given the forward input {@code x} and output {@code y}. */
    public static Tensor backward(Activation act, double alpha, Tensor x, Tensor y, Tensor dy) {
        String op = name(act) + "Backward";
        Activation kind = canonical(act, alpha);
        Checks.sameBackendAndDtype(op, x, y);
        Checks.sameBackendAndDtype(op, x, dy);
        Checks.sameShape(op, "y", x, y);
        Checks.sameShape(op, "dy", x, dy);
        if (x.isContiguous() && y.isContiguous() && dy.isContiguous()) {   // out of place: no copy of dy
            Tensor dx = Tensor.zeros(dy.backend(), dy.dtype(), dy.shape());
            x.ops().activationBackward(kind, alpha, x.span(), y.span(), dy.span(), dx.span(), dx.size());
            return dx;
        }
        Tensor dx = dy.copy();
        Dense.use(x, xd -> Dense.use(y, yd ->
                x.ops().activationBackward(kind, alpha, xd.span(), yd.span(), dx.span(), dx.span(), dx.size())));
        return dx;
    }

    /**
     * {@code out = act(x + bias)} with {@code bias [cols]} broadcast over the rows of {@code x
     * [rows, cols]}, in one pass: the tail of a dense layer. {@code out} is contiguous, of x's shape,
     * and may be {@code x} itself (a fresh GEMM output, updated in place). Differentiate with
     * {@link #backward} passing {@code out} as both the input and the output (for a leaky ReLU
     * with a slope >= 0, where {@code out > 0} exactly where {@code x + bias > 0}).
     */
    public static void biasActivationInto(Activation act, double alpha, Tensor x, Tensor bias, Tensor out) {
        String op = "biasActivation";
        Checks.sameBackendAndDtype(op, x, bias);
        Checks.sameBackendAndDtype(op, x, out);
        Checks.finite(op, "alpha", alpha);
        Activation kind = canonical(act, alpha);
        Checks.rank(op, "x", x, 2);
        Checks.rank(op, "bias", bias, 1);
        if (bias.dim(0) != x.dim(1)) {
            throw new IllegalArgumentException(op + ": bias " + bias.shape() + " does not match the columns of x "
                    + x.shape());
        }
        Checks.sameShape(op, "out", x, out);
        Checks.writableOutput(op, out, x);
        Checks.writableOutput(op, out, bias);
        Dense.use(x, xd -> Dense.use(bias, bd -> x.ops().biasActivation(kind, alpha, xd.span(), bd.span(),
                out.span(), x.dim(0), x.dim(1))));
    }

    /** Softmax or log-softmax along the last axis. */
    public static Tensor softmax(boolean log, Tensor x) {
        String op = log ? "logSoftmax" : "softmax";
        x.checkOpen(op);
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": needs rank >= 1, got a scalar");
        }
        int cols = x.dim(-1);
        int rows = x.size() / cols;
        if (x.isContiguous()) {
            Tensor y = Tensor.zeros(x.backend(), x.dtype(), x.shape());
            x.ops().softmax(log, x.span(), y.span(), rows, cols);
            return y;
        }
        Tensor y = x.copy();
        x.ops().softmax(log, y.span(), y.span(), rows, cols);
        return y;
    }

    /** Gradient of {@link #softmax} given its output {@code y} and the upstream gradient {@code dy}. */
    public static Tensor softmaxBackward(boolean log, Tensor y, Tensor dy) {
        String op = log ? "logSoftmaxBackward" : "softmaxBackward";
        Checks.sameBackendAndDtype(op, y, dy);
        Checks.sameShape(op, "dy", y, dy);
        int cols = y.dim(-1);
        int rows = y.size() / cols;
        if (y.isContiguous() && dy.isContiguous()) {
            Tensor dx = Tensor.zeros(dy.backend(), dy.dtype(), dy.shape());
            y.ops().softmaxBackward(log, y.span(), dy.span(), dx.span(), rows, cols);
            return dx;
        }
        Tensor dx = dy.copy();
        Dense.use(y, yd -> y.ops().softmaxBackward(log, yd.span(), dx.span(), dx.span(), rows, cols));
        return dx;
    }

    /**
     * A leaky ReLU of slope 0 is the ReLU (the SPI's rule: backends never see {@code LEAKY_RELU} with
     * {@code alpha == 0}, where {@code alpha * -Inf} would be NaN instead of 0).
     */
    private static Activation canonical(Activation act, double alpha) {
        return act == Activation.LEAKY_RELU && alpha == 0 ? Activation.RELU : act;
    }

    private static String name(Activation act) {
        return switch (act) {
            case RELU -> "relu";
            case LEAKY_RELU -> "leakyRelu";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
        };
    }
}
