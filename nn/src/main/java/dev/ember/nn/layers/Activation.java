package dev.ember.nn.layers;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.ops.F;

/** A parameter-free point-wise activation (or softmax over the last axis). */
public final class Activation extends Layer {
    /** The supported functions. */
    public enum Kind { RELU, LEAKY_RELU, SIGMOID, TANH, SOFTMAX, LINEAR }

    private final Kind kindOf;
    private final double alpha;

    private Activation(Kind kind, double alpha) {
        if (kind == Kind.LEAKY_RELU && !(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("leakyRelu: slope must be in [0, 1), got " + alpha);
        }
        this.kindOf = kind;
        this.alpha = alpha;
    }

    public static Activation relu() {
        return new Activation(Kind.RELU, 0);
    }

    public static Activation leakyRelu(double slope) {
        return new Activation(Kind.LEAKY_RELU, slope);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID, 0);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH, 0);
    }

    public static Activation softmax() {
        return new Activation(Kind.SOFTMAX, 0);
    }

    public static Activation linear() {
        return new Activation(Kind.LINEAR, 0);
    }

    /** By name: relu, leaky_relu, sigmoid, tanh, softmax, linear. */
    public static Activation of(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "relu" -> relu();
            case "leaky_relu", "leakyrelu" -> leakyRelu(0.01);
            case "sigmoid" -> sigmoid();
            case "tanh" -> tanh();
            case "softmax" -> softmax();
            case "linear", "identity", "none" -> linear();
            default -> throw new IllegalArgumentException("activation: unknown function '" + name
                    + "' (relu, leaky_relu, sigmoid, tanh, softmax, linear)");
        };
    }

    public Kind function() {
        return kindOf;
    }

    /** The leaky-ReLU slope (0 for the other functions). */
    public double slope() {
        return alpha;
    }

    /** The backend's point-wise activation for this function, or null for {@code linear} and {@code softmax}. */
    dev.ember.core.spi.Activation pointwise() {
        return switch (kindOf) {
            case RELU -> dev.ember.core.spi.Activation.RELU;
            case LEAKY_RELU -> dev.ember.core.spi.Activation.LEAKY_RELU;
            case SIGMOID -> dev.ember.core.spi.Activation.SIGMOID;
            case TANH -> dev.ember.core.spi.Activation.TANH;
            case SOFTMAX, LINEAR -> null;
        };
    }

    @Override
    protected String kind() {
        return kindOf.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    protected Shape doBuild(Shape input, BuildContext context) {
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        return switch (kindOf) {
            case RELU -> F.relu(x);
            case LEAKY_RELU -> F.leakyRelu(x, alpha);
            case SIGMOID -> F.sigmoid(x);
            case TANH -> F.tanh(x);
            case SOFTMAX -> F.softmax(x);
            case LINEAR -> x;
        };
    }
}
