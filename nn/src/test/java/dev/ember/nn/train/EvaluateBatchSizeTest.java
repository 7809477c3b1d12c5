package dev.ember.nn.train;

import dev.ember.core.DType;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.testing.BackendTest;
import dev.ember.nn.testing.Csv;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The loss {@code evaluate} reports is the cost of the whole set: its L2 term is
 * {@code λ/(2N) Σ||W||²} with N the set's size, so the evaluation batch size does not change it
 * (it used to add the term once per batch: 0.28 at batch 64 against 0.09 at 800 for one model).
 */
class EvaluateBatchSizeTest extends BackendTest {

    @Test
    public void theEvaluatedLossDoesNotDependOnTheBatchSize() {
        Dataset train = Csv.resource("circles_train.csv");
        double lambda = 0.7;
        try (Sequential model = new Sequential(
                new Dense(2, 10).kernelInitializer(Initializers.heNormal()), Activation.relu(),
                new Dense(5).kernelInitializer(Initializers.heNormal()), Activation.relu(),
                new Dense(1))) {
            model.backend(backend()).dtype(DType.F64).seed(3).regularization(new L2Regularization(lambda));
            model.compile(new Adam(0.01), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
            model.fit(train, FitOptions.defaults().epochs(20).batchSize(64).shuffle(Shuffler.seeded(1)).progress(false));

            double whole = model.evaluate(train, train.size()).get("loss");
            double at64 = model.evaluate(train, 64).get("loss");
            double at7 = model.evaluate(train, 7).get("loss");
            assertThat(at64).isCloseTo(whole, within(1e-12 * whole));
            assertThat(at7).isCloseTo(whole, within(1e-12 * whole));

            // the rule itself: the data loss plus λ/(2N) Σ||W||² once
            double sumOfSquares = 0;
            for (Variable w : model.regularizedVariables()) {
                for (double v : w.value().toDoubleArray()) {
                    sumOfSquares += v * v;
                }
            }
            model.regularization(null);
            double dataLoss = model.evaluate(train, 64).get("loss");
            assertThat(whole - dataLoss).isCloseTo(lambda / (2.0 * train.size()) * sumOfSquares, within(1e-9));
            assertThat(whole - dataLoss).isGreaterThan(1e-4);   // the term is really there
        }
    }
}
