package dev.ember.nn.ops;

import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.nn.autodiff.GradientTape;

/**
 * The differentiable operations: each computes its result like the matching {@link Tensor} method
 * and records itself on the open {@link GradientTape}s that watch one of its inputs.
 *
 * <p>Ownership: with no tape open the caller owns the result; with a tape open the innermost tape
 * owns it and frees it on close ({@link GradientTape#keep} takes it out). Plain {@link Tensor}
 * methods are never recorded.
 *
 * <p>Broadcasting follows numpy for operands of rank up to 2 (or equal shapes), and gradients are
 * summed over broadcast axes, so {@code F.add(xw, b)} with {@code b} of shape {@code [n]} gives
 * {@code db} of shape {@code [n]}.
 */
public final class F {
    private F() {
    }

    // ---------------------------------------------------------------- linear algebra

    /** {@code a @ b} for matrices. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return LinearOps.matmul(a, b);
    }

    /** {@code x @ w + b} (bias may be null): the GEMM, then the bias added in place in one pass. */
    public static Tensor dense(Tensor x, Tensor w, Tensor b) {
        return LinearOps.dense(x, w, b);
    }

    /**
     * {@code act(x @ w + b)} with the bias and the activation fused into one pass over the GEMM's
     * output ({@code alpha}: the leaky-ReLU slope): the same values and gradients as
     * {@code activation(act, alpha, dense(x, w, b))} with one pass over the output fewer, and no
     * pre-activation tensor kept for the backward pass.
     */
    public static Tensor dense(Tensor x, Tensor w, Tensor b, Activation act, double alpha) {
        return LinearOps.dense(x, w, b, act, alpha);
    }

    // ---------------------------------------------------------------- arithmetic

    public static Tensor add(Tensor a, Tensor b) {
        return ArithmeticOps.add(a, b);
    }

    public static Tensor sub(Tensor a, Tensor b) {
        return ArithmeticOps.sub(a, b);
    }

    public static Tensor mul(Tensor a, Tensor b) {
        return ArithmeticOps.mul(a, b);
    }

    public static Tensor div(Tensor a, Tensor b) {
        return ArithmeticOps.div(a, b);
    }

    /** {@code c * x}. */
    public static Tensor scale(Tensor x, double c) {
        return ArithmeticOps.scale(x, c);
    }

    /** {@code x + c}. */
    public static Tensor addScalar(Tensor x, double c) {
        return ArithmeticOps.addScalar(x, c);
    }

    public static Tensor neg(Tensor x) {
        return ArithmeticOps.neg(x);
    }

    public static Tensor exp(Tensor x) {
        return ArithmeticOps.exp(x);
    }

    public static Tensor log(Tensor x) {
        return ArithmeticOps.log(x);
    }

    public static Tensor square(Tensor x) {
        return ArithmeticOps.square(x);
    }

    public static Tensor sqrt(Tensor x) {
        return ArithmeticOps.sqrt(x);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a scalar). */
    public static Tensor sum(Tensor x) {
        return ReductionOps.sum(x);
    }

    public static Tensor sum(Tensor x, int axis, boolean keepDims) {
        return ReductionOps.sum(x, axis, keepDims);
    }

    /** Mean of all elements (a scalar). */
    public static Tensor mean(Tensor x) {
        return ReductionOps.mean(x);
    }

    public static Tensor mean(Tensor x, int axis, boolean keepDims) {
        return ReductionOps.mean(x, axis, keepDims);
    }

    /** {@code sum(x^2)}. */
    public static Tensor sumOfSquares(Tensor x) {
        return ReductionOps.sumOfSquares(x);
    }

    // ---------------------------------------------------------------- shape

    public static Tensor reshape(Tensor x, int... dims) {
        return ShapeOps.reshape(x, dims);
    }

    /** Swaps the last two axes. */
    public static Tensor transpose(Tensor x) {
        return ShapeOps.transpose(x);
    }

    // ---------------------------------------------------------------- activations

    public static Tensor relu(Tensor x) {
        return ActivationOps.activation(Activation.RELU, 0, x);
    }

    public static Tensor leakyRelu(Tensor x, double slope) {
        return ActivationOps.activation(Activation.LEAKY_RELU, slope, x);
    }

    public static Tensor sigmoid(Tensor x) {
        return ActivationOps.activation(Activation.SIGMOID, 0, x);
    }

    public static Tensor tanh(Tensor x) {
        return ActivationOps.activation(Activation.TANH, 0, x);
    }

    /** A point-wise activation by kind ({@code alpha}: the leaky-ReLU slope). */
    public static Tensor activation(Activation kind, double alpha, Tensor x) {
        return ActivationOps.activation(kind, alpha, x);
    }

    /** Softmax along the last axis. */
    public static Tensor softmax(Tensor x) {
        return ActivationOps.softmax(false, x);
    }

    /** Log-softmax along the last axis. */
    public static Tensor logSoftmax(Tensor x) {
        return ActivationOps.softmax(true, x);
    }

    // ---------------------------------------------------------------- regularisation and normalisation

    /**
     * Inverted dropout: keeps each element with probability {@code keepProb} and scales kept ones by
     * {@code 1/keepProb}; the mask comes from the backend's Philox stream {@code (seed, stream)}, so it
     * is the same on every backend.
     */
    public static Tensor dropout(Tensor x, double keepProb, long seed, long stream) {
        return StochasticOps.dropout(x, keepProb, seed, stream);
    }

    /** {@code x * mask} with the gradient {@code g * mask}; takes ownership of {@code mask}. */
    public static Tensor dropoutWithMask(Tensor x, Tensor mask) {
        return StochasticOps.masked(x, mask);
    }

    /**
     * Training-mode batch normalisation of {@code x [batch, features]}; updates the running statistics in
     * place ({@code running = momentum * running + (1 - momentum) * batch}). Differentiable in x, gamma, beta.
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   double eps, double momentum) {
        return NormalizationOps.batchNorm(x, gamma, beta, runningMean, runningVar, eps, momentum);
    }

    /** Inference-mode batch normalisation with the running statistics (differentiable in x, gamma, beta). */
    public static Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                            Tensor runningVar, double eps) {
        return NormalizationOps.batchNormInference(x, gamma, beta, runningMean, runningVar, eps);
    }

    // ---------------------------------------------------------------- losses (scalar results)

    /** Binary cross-entropy from logits, averaged over all elements (stable for any logit). */
    public static Tensor sigmoidCrossEntropy(Tensor logits, Tensor labels) {
        return LossOps.sigmoidCrossEntropy(logits, labels);
    }

    /** Softmax cross-entropy from logits {@code [batch, classes]} and one-hot labels, averaged over the batch. */
    public static Tensor softmaxCrossEntropy(Tensor logits, Tensor labels) {
        return LossOps.softmaxCrossEntropy(logits, labels);
    }

    /** Mean squared error over all elements. */
    public static Tensor meanSquaredError(Tensor predictions, Tensor labels) {
        return LossOps.meanSquaredError(predictions, labels);
    }
}
