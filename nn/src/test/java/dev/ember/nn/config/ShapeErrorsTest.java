package dev.ember.nn.config;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Shape mismatches are reported at compile or first call, with layer names and shapes. */
class ShapeErrorsTest extends BackendTest {

    @Test
    public void mismatchedLayersFailAtCompileNamingBothLayers() {
        try (Sequential m = new Sequential(new Dense(2, 10).named("hidden"), Activation.relu(),
                new Dense(7, 1).named("output"))) {
            m.backend(backend());
            assertThatThrownBy(() -> m.compile(new Sgd(0.1), Losses.meanSquaredError()))
                    .hasMessageContaining("'output'").hasMessageContaining("declared 7")
                    .hasMessageContaining("produces 10").hasMessageContaining("relu");
        }
    }

    @Test
    public void dataOfTheWrongWidthFailsAtTheFirstCall() {
        Dataset three = Dataset.of(new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {0, 1});
        try (Sequential m = new Sequential(new Dense(2, 4), new Dense(1))) {
            m.backend(backend());
            m.compile(new Sgd(0.1), Losses.meanSquaredError());
            assertThatThrownBy(() -> m.fit(three, 1, 2, null)).hasMessageContaining("[batch, 2]")
                    .hasMessageContaining("[batch, 3]");
        }
    }

    @Test
    public void labelsThatDoNotMatchTheOutputFailWithBothShapes() {
        Dataset twoLabels = Dataset.of(new double[][] {{1, 2}, {4, 5}}, new double[][] {{0, 1}, {1, 0}});
        try (Sequential m = new Sequential(new Dense(2, 4), new Dense(1))) {
            m.backend(backend());
            m.compile(new Sgd(0.1), Losses.meanSquaredError());
            assertThatThrownBy(() -> m.fit(twoLabels, 1, 2, null)).hasMessageContaining("[2, 1]")
                    .hasMessageContaining("[2, 2]");
        }
    }

    @Test
    public void fittingBeforeCompilingIsAnError() {
        try (Sequential m = new Sequential(new Dense(2, 1))) {
            assertThatThrownBy(() -> m.fit(Dataset.of(new double[][] {{1, 2}}, new double[] {1}), 1, 1, null))
                    .hasMessageContaining("compile");
        }
    }
}
