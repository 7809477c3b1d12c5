package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.nn.autodiff.Variable;

/**
 * Adam with bias correction: {@code m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
 * W -= α (m/(1-β1^t)) / (sqrt(v/(1-β2^t)) + ε)}; with a weight decay {@code λ > 0} it is AdamW
 * (decoupled: {@code W -= α λ W} as well).
 */
public class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;

    public Adam(double learningRate, double beta1, double beta2, double eps) {
        this("adam", learningRate, beta1, beta2, eps, 0);
    }

    /** Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    protected Adam(String name, double learningRate, double beta1, double beta2, double eps, double weightDecay) {
        super(name, learningRate);
        this.beta1 = Check.beta(name, "beta1", beta1);
        this.beta2 = Check.beta(name, "beta2", beta2);
        this.eps = Check.positive(name, "epsilon", eps);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(name + ": weightDecay must be >= 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
    }

    @Override
    public java.util.Map<String, Double> hyperparameters() {
        return java.util.Map.of("beta1", beta1, "beta2", beta2, "epsilon", eps, "weight_decay", weightDecay);
    }

    @Override
    public java.util.List<String> slotNames() {
        return java.util.List.of("m", "v");
    }

    @Override
    protected void update(Variable v, Tensor grad, LiveScalar rate, LiveScalar step) {
        Tensor[] s = slots(v, 2);
        Updates.adam(v.value(), grad, s[0], s[1], rate, beta1, beta2, eps, step, weightDecay);
    }
}
