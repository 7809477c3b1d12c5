package dev.ember.nn.layers;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.ops.F;

/**
 * Batch normalisation over the batch axis of {@code [batch, features]} inputs, with learned scale
 * {@code gamma} and shift {@code beta}. Training normalises with the batch statistics and updates the
 * running averages ({@code running = momentum * running + (1 - momentum) * batch}); inference uses the
 * running averages.
 */
public final class BatchNorm extends Layer {
    private final double momentum;
    private final double eps;
    private Variable gamma;
    private Variable beta;
    private Variable runningMean;
    private Variable runningVar;

    /** Keras defaults: momentum 0.99, epsilon 1e-3. */
    public BatchNorm() {
        this(0.99, 1e-3);
    }

    public BatchNorm(double momentum, double eps) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("batchNorm: momentum must be in [0, 1), got " + momentum);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("batchNorm: eps must be > 0, got " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
    }

    @Override
    protected String kind() {
        return "batch_norm";
    }

    @Override
    protected Shape doBuild(Shape input, BuildContext c) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException("layer '" + name() + "' (batch norm): expects [batch, features], got"
                    + " per-example shape " + input);
        }
        Shape s = input;
        int n = input.dim(0);
        gamma = addVariable("gamma", Initializers.ones().create(c.backend(), c.dtype(), s, n, n, c.seed(), 0), true);
        beta = addVariable("beta", Initializers.zeros().create(c.backend(), c.dtype(), s, n, n, c.seed(), 0), true);
        runningMean = addVariable("moving_mean",
                Initializers.zeros().create(c.backend(), c.dtype(), s, n, n, c.seed(), 0), false);
        runningVar = addVariable("moving_variance",
                Initializers.ones().create(c.backend(), c.dtype(), s, n, n, c.seed(), 0), false);
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBuilt(this);
        if (training) {
            return F.batchNorm(x, gamma.value(), beta.value(), runningMean.value(), runningVar.value(), eps, momentum);
        }
        return F.batchNormInference(x, gamma.value(), beta.value(), runningMean.value(), runningVar.value(), eps);
    }

    /** The weight of the old running value (Keras convention). */
    public double momentum() {
        return momentum;
    }

    public double epsilon() {
        return eps;
    }

    public Variable gamma() {
        return gamma;
    }

    public Variable beta() {
        return beta;
    }

    public Variable runningMean() {
        return runningMean;
    }

    public Variable runningVariance() {
        return runningVar;
    }
}
