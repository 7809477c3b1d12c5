package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.nn.autodiff.Variable;

/** Gradient descent with momentum: {@code v = βv + (1-β)g; W -= α v}. {@link Nesterov} adds a look-ahead. */
public sealed class Momentum extends Optimizer permits Nesterov {
    private final double beta;

    public Momentum(double learningRate, double beta) {
        this("momentum", learningRate, beta);
    }

    public Momentum(double learningRate) {
        this(learningRate, 0.9);
    }

    Momentum(String name, double learningRate, double beta) {
        super(name, learningRate);
        this.beta = Check.beta(name, "beta", beta);
    }

    /** The velocity's averaging weight. */
    protected final double beta() {
        return beta;
    }

    @Override
    public java.util.Map<String, Double> hyperparameters() {
        return java.util.Map.of("beta", beta);
    }

    @Override
    public java.util.List<String> slotNames() {
        return java.util.List.of("velocity");
    }

    @Override
    protected void update(Variable v, Tensor grad, LiveScalar rate, LiveScalar step) {
        Updates.momentum(v.value(), grad, slots(v, 1)[0], rate, beta);
    }
}
