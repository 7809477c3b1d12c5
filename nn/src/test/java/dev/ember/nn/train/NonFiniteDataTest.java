package dev.ember.nn.train;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.testing.BackendTest;
import dev.ember.nn.testing.Csv;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One NaN in the data stops training the same way on every backend: NaN propagates through the
 * dense layer, the ReLU and the loss (the special-value rules of the SPI), so the loss of the step
 * that holds it is NaN and {@code fit} fails instead of finishing with poisoned weights.
 */
class NonFiniteDataTest extends BackendTest {

    @Test
    public void oneNaNFeatureStopsFitWithNonFiniteLossOnEveryBackend() {
        Dataset clean = Csv.resource("circles_train.csv");
        double[] features = clean.features();
        features[2 * 17 + 1] = Double.NaN;   // one coordinate of one example: some batch of the first epoch
        Dataset poisoned = new Dataset(features, clean.featureShape(), clean.labels(), clean.labelShape());
        try (Sequential model = new Sequential(new Dense(2, 8), Activation.relu(), new Dense(1))) {
            model.backend(backend()).seed(1);
            model.compile(new Adam(0.01), Losses.binaryCrossEntropy());
            assertThatThrownBy(() -> model.fit(poisoned, FitOptions.defaults().epochs(3).batchSize(64)
                    .progress(false)))
                    .isInstanceOf(NonFiniteLossException.class)
                    .hasMessageContaining("at epoch 0");
        }
    }
}
