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
import dev.ember.nn.autodiff.GradientTape;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Finite-difference checks in F64 of every layer, inside small models, through each loss. */
class LayersGradientTest extends BackendTest {

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
                     new Dense(3), Activation.leakyRelu(0.2), new Dense(2), Activation.sigmoid(), new Dense(1))) {
            check(m, Losses.binaryCrossEntropy(), x, y, null);
        }
    }

    @Test
    public void denseWithEveryFusedActivation() {
        try (Tensor x = randn(1, 6, 4); Tensor y = uniform(2, 0, 1, 6, 1);
             Sequential m = new Sequential(new Dense(4, 5).activation(Activation.relu()),
                     new Dense(4).activation(Activation.tanh()), new Dense(3).activation(Activation.leakyRelu(0.2)),
                     new Dense(2).activation(Activation.sigmoid()), new Dense(1))) {
            check(m, Losses.binaryCrossEntropy(), x, y, null);
        }
    }

    /** A fused activation computes what the activation layer after the dense layer does, forward and backward. */
    @Test
    public void fusedActivationMatchesTheSeparateLayer() {
        for (Activation act : new Activation[] {Activation.relu(), Activation.leakyRelu(0.2), Activation.sigmoid(),
                Activation.tanh()}) {
            try (Tensor x = randn(3, 7, 4); Tensor y = randn(4, 7, 3);
                 Sequential fused = new Sequential(new Dense(4, 3).activation(act));
                 Sequential separate = new Sequential(new Dense(4, 3), act)) {
                for (Sequential m : new Sequential[] {fused, separate}) {
                    m.backend(backend()).dtype(DType.F64).seed(11);
                    m.build(dev.ember.core.Shape.of(4));
                }
                double[][] grads = new double[2][];
                double[][] biasGrads = new double[2][];
                double[][] outputs = new double[2][];
                Sequential[] models = {fused, separate};
                for (int k = 0; k < 2; k++) {
                    try (GradientTape tape = new GradientTape()) {
                        Tensor out = models[k].call(x, true);
                        outputs[k] = out.toDoubleArray();
                        Tensor loss = Losses.meanSquaredError().compute(out, y);
                        Tensor[] g = tape.gradient(loss, models[k].trainableVariables().get(0).value(),
                                models[k].trainableVariables().get(1).value());
                        grads[k] = g[0].toDoubleArray();
                        biasGrads[k] = g[1].toDoubleArray();
                        g[0].close();
                        g[1].close();
                    }
                }
                assertThat(outputs[0]).as(act.function() + " output").containsExactly(outputs[1], within(1e-12));
                assertThat(grads[0]).as(act.function() + " kernel gradient").containsExactly(grads[1], within(1e-12));
                assertThat(biasGrads[0]).as(act.function() + " bias gradient").containsExactly(biasGrads[1],
                        within(1e-12));
            }
        }
    }

    /**
     * Binary cross-entropy takes the logits and applies the sigmoid itself: with a logit of 40 and
     * label 0 the loss is 40, where the saturated probability (1.0 in F64) would give an infinite or
     * clamped loss; predict() gives the probability.
     */
    @Test
    public void binaryCrossEntropyTakesLogitsAndPredictGivesProbabilities() {
        try (Sequential m = new Sequential(new Dense(1, 1)); Tensor x = f64(new double[] {1}, 1, 1);
             Tensor y = f64(new double[] {0}, 1, 1)) {
            m.backend(backend()).dtype(DType.F64).seed(1);
            m.compile(new dev.ember.nn.optim.Sgd(0.1), Losses.binaryCrossEntropy());   // testStep updates nothing
            m.build(dev.ember.core.Shape.of(1));
            m.trainableVariables().get(0).assign(new double[] {-3});
            m.trainableVariables().get(1).assign(new double[] {43});
            try (dev.ember.nn.model.StepResult r = m.testStep(x, y)) {
                assertThat(r.loss().item()).isCloseTo(40.0, within(1e-9));
            }
            try (Tensor z = m.call(x, false); Tensor p = m.predict(x)) {
                assertThat(z.item()).isEqualTo(40.0);
                assertThat(p.item()).isCloseTo(1 / (1 + Math.exp(-40)), within(1e-15));
            }
            double[][] rows = m.predict(new double[][] {{0.5}, {14}});   // logits 41.5 and 1
            assertThat(rows[0][0]).isCloseTo(1 / (1 + Math.exp(-41.5)), within(1e-15));
            assertThat(rows[1][0]).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-15));
        }
    }

    /** A model that already ends in the activation a cross-entropy applies fails at compile, naming the fix. */
    @Test
    public void aSecondOutputActivationIsRejectedAtCompile() {
        Object[][] cases = {
                {new Sequential(new Dense(2, 1), Activation.sigmoid()), Losses.binaryCrossEntropy(), "sigmoid"},
                {new Sequential(new Dense(2, 1).activation(Activation.sigmoid())), Losses.binaryCrossEntropy(),
                        "sigmoid"},
                {new Sequential(new Dense(2, 3), Activation.softmax()), Losses.categoricalCrossEntropy(), "softmax"},
        };
        for (Object[] c : cases) {
            try (Sequential m = (Sequential) c[0]) {
                Loss loss = (Loss) c[1];
                assertThatThrownBy(() -> m.compile(new dev.ember.nn.optim.Sgd(0.1), loss))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("compile").hasMessageContaining(loss.name())
                        .hasMessageContaining("takes logits").hasMessageContaining("remove")
                        .hasMessageContaining((String) c[2]);
            }
        }
        try (Sequential regression = new Sequential(new Dense(2, 1), Activation.sigmoid())) {
            regression.compile(new dev.ember.nn.optim.Sgd(0.1), Losses.meanSquaredError());   // no activation of its own
            assertThat(regression.loss().name()).isEqualTo("mse");
        }
    }

    @Test
    public void softmaxCannotBeFusedIntoADenseLayer() {
        assertThatThrownBy(() -> new Dense(3).activation(Activation.softmax()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dense").hasMessageContaining("softmax");
    }

    @Test
    public void softmaxOutputWithCategoricalCrossEntropy() {
        try (Tensor x = randn(1, 5, 3);
             Tensor y = f64(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1}, 5, 3);
             Sequential m = new Sequential(new Dense(3, 4), Activation.sigmoid(), new Dense(3), Activation.softmax(),
                     new Dense(3))) {
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
                     new Dense(1))) {
            check(m, Losses.binaryCrossEntropy(), x, y, null);
        }
    }

    /** The cross-entropies on logits equal the textbook formulas on the probabilities their predictions give. */
    @Test
    public void crossEntropiesOnLogitsEqualTheProbabilityForms() {
        try (dev.ember.core.Scope _ = dev.ember.core.Scope.open()) {   // composite formulas: free intermediates
            Tensor z = randn(1, 6, 1);
            Tensor y = uniform(2, 0, 1, 6, 1);
            Loss bce = Losses.binaryCrossEntropy();
            double[] p = bce.predictions(z).toDoubleArray();
            double[] ys = y.toDoubleArray();
            double expected = 0;
            for (int i = 0; i < p.length; i++) {
                expected -= (ys[i] * Math.log(p[i]) + (1 - ys[i]) * Math.log(1 - p[i])) / p.length;
            }
            assertThat(bce.compute(z, y).item()).isCloseTo(expected, within(1e-12));

            Tensor z3 = randn(3, 4, 3);
            Tensor onehot = f64(new double[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1}, 4, 3);
            Loss cce = Losses.categoricalCrossEntropy();
            double[] q = cce.predictions(z3).toDoubleArray();
            double[] t = onehot.toDoubleArray();
            double ce = 0;
            for (int i = 0; i < q.length; i++) {
                ce -= t[i] * Math.log(q[i]) / 4;
            }
            assertThat(cce.compute(z3, onehot).item()).isCloseTo(ce, within(1e-12));
            assertThat(Losses.meanSquaredError().predictions(z)).isSameAs(z);
        }
    }
}
