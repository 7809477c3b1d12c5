package dev.ember.nn.losses;

import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.ops.F;

import java.util.List;

/**
 * L2 ("weight decay") regularisation as in deeplearning.ai: adds {@code λ/(2m) · Σ ||W||²} over the
 * regularised weights (Dense kernels) to the cost of a set of {@code m} examples; its gradient
 * {@code (λ/m) W} comes from the tape.
 *
 * <p>The rule for {@code m}: a training step's cost is over its batch, so {@code m} is the batch size
 * (full-batch training is the course's cost exactly). A loss reported for a whole set
 * ({@code Model.evaluate}, {@code val_loss}) is that set's cost: {@code m} is the set's size, whatever
 * batch size the evaluation runs at.
 */
public record L2Regularization(double lambda) {
    public L2Regularization {
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("l2: lambda must be >= 0 and finite, got " + lambda);
        }
    }

    /** The penalty in the cost of {@code m} examples, or null when there is nothing to add. */
    public Tensor penalty(List<Variable> weights, int m) {
        if (lambda == 0 || weights.isEmpty()) {
            return null;
        }
        Tensor total = null;
        for (Variable w : weights) {
            Tensor s = F.sumOfSquares(w.value());
            total = total == null ? s : F.add(total, s);
        }
        return F.scale(total, lambda / (2.0 * m));
    }
}
