package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.nn.autodiff.Variable;

/** RMSProp: {@code s = βs + (1-β)g²; W -= α g / (sqrt(s) + ε)}. */
public final class RmsProp extends Optimizer {
    private final double beta;
    private final double eps;

    public RmsProp(double learningRate, double beta, double eps) {
        super("rmsprop", learningRate);
        this.beta = Check.beta("rmsprop", "beta", beta);
        this.eps = Check.positive("rmsprop", "epsilon", eps);
    }

    public RmsProp(double learningRate) {
        this(learningRate, 0.9, 1e-8);
    }

    @Override
    public java.util.Map<String, Double> hyperparameters() {
        return java.util.Map.of("beta", beta, "epsilon", eps);
    }

    @Override
    public java.util.List<String> slotNames() {
        return java.util.List.of("mean_square");
    }

    @Override
    protected void update(Variable v, Tensor grad, LiveScalar rate, LiveScalar step) {
        Updates.rmsprop(v.value(), grad, slots(v, 1)[0], rate, beta, eps);
    }
}
