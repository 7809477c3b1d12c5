package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.nn.autodiff.Variable;

/** Plain (mini-batch) gradient descent: {@code W -= α g}. */
public final class Sgd extends Optimizer {
    public Sgd(double learningRate) {
        super("sgd", learningRate);
    }

    @Override
    protected void update(Variable v, Tensor grad, LiveScalar rate, LiveScalar step) {
        Updates.sgd(v.value(), grad, rate);
    }
}
