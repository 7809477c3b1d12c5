package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.nn.autodiff.Variable;

/**
 * Nesterov momentum in {@link Momentum}'s averaging convention: {@code v = βv + (1-β)g}, then the
 * step looks ahead along the new velocity, {@code W -= α (βv + (1-β)g)}. It runs as the momentum
 * update ({@code W -= α v}) followed by the correction {@code W -= α (1-β)(g - v)}, both with the
 * live learning rate, so a schedule and a traced step see it as they see every optimiser.
 */
public final class Nesterov extends Momentum {
    public Nesterov(double learningRate, double beta) {
        super("nesterov", learningRate, beta);
    }

    public Nesterov(double learningRate) {
        this(learningRate, 0.9);
    }

    @Override
    protected void update(Variable v, Tensor grad, LiveScalar rate, LiveScalar step) {
        super.update(v, grad, rate, step);
        Tensor velocity = slots(v, 1)[0];
        try (Tensor diff = grad.sub(velocity); Tensor lookAhead = diff.mul(1 - beta())) {
            Updates.sgd(v.value(), lookAhead, rate);
        }
    }
}
