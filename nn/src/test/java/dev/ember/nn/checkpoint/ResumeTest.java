package dev.ember.nn.checkpoint;

import dev.ember.core.spi.Backend;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Generators;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.testing.TestBackends;
import dev.ember.nn.train.FitOptions;
import dev.ember.nn.train.History;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping after epoch k and resuming from the checkpoint gives, bit for bit, the weights, running
 * statistics and Adam moments of an uninterrupted run (CPU), with dropout, batch norm and a shuffled
 * data order: masks and order follow from the seed and the step, not from hidden state.
 */
class ResumeTest {
    private static final int EPOCHS = 4;
    private static final int STOP_AFTER = 2;

    @TempDir
    Path dir;

    private final Backend cpu = TestBackends.byName("cpu");
    private final Dataset data = Generators.moons(60, 0.25, 8);

    private Sequential net() {
        Sequential m = new Sequential(new Dense(2, 8).activation(Activation.relu()), new BatchNorm(), new Dropout(0.7),
                new Dense(6), Activation.tanh(), new Dropout(0.9), new Dense(1));
        m.backend(cpu).seed(21);
        m.compile(new Adam(0.03), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
        return m;
    }

    private FitOptions options(boolean traced) {
        // 60 examples in batches of 16: a last, smaller batch, so the traced run has two signatures
        return FitOptions.defaults().epochs(EPOCHS).batchSize(16).shuffle(Shuffler.seeded(5)).progress(false)
                .traced(traced);
    }

    @ParameterizedTest(name = "traced={0}")
    @ValueSource(booleans = {true, false})
    void resumingFromEpochKGivesTheUninterruptedWeightsBitForBit(boolean traced) {
        List<float[]> uninterrupted;
        List<Double> losses;
        try (Sequential m = net()) {
            History h = m.fit(data, options(traced));
            uninterrupted = state(m);
            losses = h.get("loss");
        }
        Path file = dir.resolve("epoch2.safetensors");
        try (Sequential first = net()) {
            first.fit(data, options(traced).epochs(STOP_AFTER));
            first.save(file);
        }
        try (Sequential resumed = Model.load(file, cpu, null)) {
            assertThat(resumed.epoch()).isEqualTo(STOP_AFTER);
            History h = resumed.fit(data, options(traced).initialEpoch(resumed.epoch()));
            assertThat(h.get("loss")).containsExactlyElementsOf(losses.subList(STOP_AFTER, EPOCHS));
            List<float[]> after = state(resumed);
            assertThat(after).hasSameSizeAs(uninterrupted);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.get(i)).as("tensor %d", i).containsExactly(uninterrupted.get(i));
            }
            assertThat(resumed.epoch()).isEqualTo(EPOCHS);
        }
    }

    /** Every variable and every Adam moment, as floats. */
    private static List<float[]> state(Model m) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : m.variables()) {
            out.add(v.value().toFloatArray());
            if (v.trainable()) {
                for (var t : m.optimizer().state(v)) {
                    out.add(t.toFloatArray());
                }
            }
        }
        return out;
    }
}
