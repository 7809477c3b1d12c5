package dev.ember.nn.layers;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.check.GradientCheck;
import dev.ember.nn.check.GradientCheckResult;
import dev.ember.nn.check.Verdict;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Loss;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.ops.F;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Finite-difference checks in F64 of every layer, inside small models, through each loss. */
public abstract class LayersGradientContract extends BackendTest {

    private void check(Sequential model, Loss loss, Tensor x, Tensor y, L2Regularization l2) {
        model.backend(backend()).dtype(DType.F64).seed(5);
        model.build(dev.ember.core.Shape.of(x.dim(1)));
        GradientCheckResult r = GradientCheck.of(() -> {
            Tensor l = loss.compute(model.call(x, true), y);
            if (l2 != null) {
                l = F.add(l, l2.penalty(model.regularizedVariables(), x.dim(0)));
            }
            return l;
        }, model.trainableVariables()).run();
        assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.GOOD);
        assertThat(r.perParameter()).hasSize(model.trainableVariables().size());
    }

    @Test
    public void denseWithEveryActivation() {
        try (Tensor x = randn(1, 6, 4); Tensor y = uniform(2, 0, 1, 6, 1);
             Sequential m = new Sequential(new Dense(4, 5), Activation.relu(), new Dense(4), Activation.tanh(),
                     new Dense(3), Activation.leakyRelu(0.2), new Dense(1), Activation.sigmoid())) {
            check(m, Losses.binaryCrossEntropy(), x, y, null);
        }
    }

    @Test
    public void softmaxOutputWithCategoricalCrossEntropy() {
        try (Tensor x = randn(1, 5, 3);
             Tensor y = f64(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1}, 5, 3);
             Sequential m = new Sequential(new Dense(3, 4), Activation.sigmoid(), new Dense(3), Activation.softmax())) {
            check(m, Losses.categoricalCrossEntropy(), x, y, null);
        }
    }

    @Test
    public void l2RegularisationGradient() {
        try (Tensor x = randn(1, 6, 3); Tensor y = randn(2, 6, 2);
             Sequential m = new Sequential(new Dense(3, 4), Activation.tanh(), new Dense(2))) {
            check(m, Losses.meanSquaredError(), x, y, new L2Regularization(0.7));
        }
    }

    @Test
    public void batchNormInTrainingMode() {
        try (Tensor x = randn(1, 8, 3); Tensor y = randn(2, 8, 1);
             Sequential m = new Sequential(new Dense(3, 4), new BatchNorm(0.9, 1e-3), Activation.tanh(),
                     new Dense(1))) {
            check(m, Losses.meanSquaredError(), x, y, null);
        }
    }

    @Test
    public void dropoutWithAFixedMask() {
        // the same mask on every call, so finite differences see one deterministic function
        MaskSource fixed = (backend, dtype, shape, keep, call) -> Tensor.random(backend, dtype,
                dev.ember.core.spi.Distribution.BERNOULLI, keep, 1 / keep, 9, 9, shape.dims());
        try (Tensor x = randn(1, 6, 3); Tensor y = uniform(2, 0, 1, 6, 1);
             Sequential m = new Sequential(new Dense(3, 5), Activation.relu(), new Dropout(0.6).masks(fixed),
                     new Dense(1), Activation.sigmoid())) {
            check(m, Losses.binaryCrossEntropy(), x, y, null);
        }
    }

    @Test
    public void theFusedSigmoidLossEqualsTheProbabilityForm() {
        try (Tensor x = randn(1, 6, 3); Tensor y = uniform(2, 0, 1, 6, 1);
             Sequential m = new Sequential(new Dense(3, 1).kernelInitializer(Initializers.heNormal()),
                     Activation.sigmoid())) {
            m.backend(backend()).dtype(DType.F64);
            m.build(dev.ember.core.Shape.of(3));
            try (dev.ember.core.Scope scope = dev.ember.core.Scope.open()) {   // composite losses: free intermediates
                Tensor a = Losses.binaryCrossEntropy().compute(m.call(x, false), y);
                Tensor b = F.sigmoidCrossEntropy(m.layers().get(0).forward(x, false), y);
                assertThat(a.item()).isCloseTo(b.item(), org.assertj.core.api.Assertions.within(1e-9));
            }
        }
    }
}
