package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.nn.autodiff.Variable;

/** Gradient descent with momentum: {@code v = βv + (1-β)g; W -= α v}. */
public final class Momentum extends Optimizer {
    private final double beta;

    public Momentum(double learningRate, double beta) {
        super("momentum", learningRate);
        this.beta = Check.beta("momentum", "beta", beta);
    }

    public Momentum(double learningRate) {
        this(learningRate, 0.9);
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
