package dev.ember.nn.optim;

/** Adam with decoupled weight decay (Loshchilov and Hutter): {@code W -= α λ W} besides the Adam step. */
public final class AdamW extends Adam {
    public AdamW(double learningRate, double weightDecay, double beta1, double beta2, double eps) {
        super("adamw", learningRate, beta1, beta2, eps, weightDecay);
    }

    /** Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8. */
    public AdamW(double learningRate, double weightDecay) {
        this(learningRate, weightDecay, 0.9, 0.999, 1e-8);
    }
}
