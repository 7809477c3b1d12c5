package dev.ember.nn.train;

import dev.ember.core.Shape;
import dev.ember.core.spi.Backend;
import dev.ember.nn.checkpoint.SafetensorsFile;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Generators;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.schedule.ExponentialDecay;
import dev.ember.nn.testing.TestBackends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** ModelCheckpoint, EarlyStopping, CsvLogger and History's key check, on the CPU backend. */
class CallbacksTest {
    @TempDir
    Path dir;

    private final Backend cpu = TestBackends.byName("cpu");
    private final Dataset train = Generators.moons(48, 0.2, 1);
    private final Dataset dev = Generators.moons(32, 0.3, 2);

    private Sequential net(double rate) {
        Sequential m = new Sequential(new Dense(2, 6).activation(Activation.relu()), new Dense(1));
        m.backend(cpu).seed(5);
        m.compile(new Adam(rate), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
        return m;
    }

    private FitOptions options(int epochs) {
        return FitOptions.defaults().epochs(epochs).batchSize(16).shuffle(Shuffler.seeded(3)).progress(false)
                .validation(dev);
    }

    @Test
    void modelCheckpointBestKeepsTheEpochWithTheLowestValidationLoss() {
        Path file = dir.resolve("best.safetensors");
        ModelCheckpoint best = ModelCheckpoint.best(file, "val_loss");
        try (Sequential m = net(0.3)) {   // a large rate, so the validation loss does not fall every epoch
            History h = m.fit(train, options(12).callbacks(best));
            List<Double> val = h.get("val_loss");
            int bestEpoch = val.indexOf(val.stream().min(Double::compare).orElseThrow());
            assertThat(best.best()).isEqualTo(val.get(bestEpoch));
            long improvements = java.util.stream.IntStream.range(0, val.size())
                    .filter(i -> val.subList(0, i).stream().allMatch(v -> val.get(i) < v)).count();
            assertThat(best.saves()).isEqualTo((int) improvements);
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertThat(f.header().metadata()).containsEntry("epoch", Integer.toString(bestEpoch + 1));
            }
            try (Sequential loaded = Model.load(file, cpu, null)) {
                assertThat(loaded.evaluate(dev, 32).get("loss")).isEqualTo(val.get(bestEpoch));
            }
        }
    }

    @Test
    void modelCheckpointLastSavesEveryEpoch() {
        Path file = dir.resolve("last.safetensors");
        ModelCheckpoint last = ModelCheckpoint.last(file);
        try (Sequential m = net(0.05)) {
            m.fit(train, options(3).callbacks(last));
            assertThat(last.saves()).isEqualTo(3);
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                assertThat(f.header().metadata()).containsEntry("epoch", "3").containsEntry("step", "9");
            }
        }
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsIgnoresSmallGainsAndRestoresTheBestWeights() {
        try (Sequential m = net(0.05)) {
            m.build(Shape.of(2));
            EarlyStopping stop = new EarlyStopping("val_loss", 1, 0.01).restoreBestWeights(true);
            stop.setModel(m);
            stop.onTrainBegin(10, 1);
            double[] best = m.variables().get(0).value().toDoubleArray();
            stop.onEpochEnd(0, Map.of("val_loss", 1.0));
            assertThat(stop.stopTraining()).isFalse();
            m.variables().get(0).assign(new double[best.length]);
            stop.onEpochEnd(1, Map.of("val_loss", 0.995));   // better, but by less than min-delta
            assertThat(stop.stopTraining()).as("patience 1: one epoch without improvement is allowed").isFalse();
            stop.onEpochEnd(2, Map.of("val_loss", 2.0));
            assertThat(stop.stopTraining()).isTrue();
            assertThat(stop.bestEpoch()).isZero();
            assertThat(stop.stoppedEpoch()).isEqualTo(2);
            stop.onTrainEnd(null);
            assertThat(m.variables().get(0).value().toDoubleArray()).containsExactly(best);
        }
    }

    @Test
    void earlyStoppingStopsFit() {
        EarlyStopping stop = new EarlyStopping("loss", 0, 1e9);   // nothing after the first epoch counts
        try (Sequential m = net(0.05)) {
            History h = m.fit(train, options(20).callbacks(stop));
            assertThat(h.epochs()).isEqualTo(2);
            assertThat(stop.stoppedEpoch()).isEqualTo(1);
        }
    }

    @Test
    void aMonitoredKeyTheLogsLackIsAnErrorListingTheKeys() {
        try (Sequential m = net(0.05)) {
            assertThatThrownBy(() -> m.fit(train, FitOptions.defaults().epochs(2).progress(false)
                    .callbacks(new EarlyStopping(3))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("earlyStopping: the logs have no 'val_loss'; they have loss, accuracy, lr (val_* keys need"
                            + " validation data in fit)");
        }
    }

    @Test
    void csvLoggerWritesTheHistoryAndAppendsWhenResuming() throws IOException {
        Path csv = dir.resolve("logs/history.csv");
        Path ckpt = dir.resolve("ckpt.safetensors");
        History h;
        try (Sequential m = net(0.05)) {
            h = m.fit(train, options(2).callbacks(new CsvLogger(csv), ModelCheckpoint.last(ckpt)));
        }
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo("epoch,loss,accuracy,val_loss,val_accuracy,lr");
        assertThat(lines).hasSize(3);
        String[] row = lines.get(2).split(",");
        assertThat(row[0]).isEqualTo("1");
        assertThat(Double.parseDouble(row[1])).isEqualTo(h.get("loss").get(1));
        assertThat(Double.parseDouble(row[4])).isEqualTo(h.last("val_accuracy"));
        try (Sequential resumed = Model.load(ckpt, cpu, null)) {
            resumed.fit(train, options(4).initialEpoch(resumed.epoch()).callbacks(new CsvLogger(csv).append(true)));
        }
        lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(5);
        assertThat(lines.stream().filter(l -> l.startsWith("epoch"))).hasSize(1);
        assertThat(lines.get(4)).startsWith("3,");
    }

    @Test
    void historyRejectsAnUnknownKeyListingTheKeysItHas() {
        try (Sequential m = net(0.05)) {
            History h = m.fit(train, FitOptions.defaults().epochs(1).progress(false));
            assertThatThrownBy(() -> h.last("binary_accuracy")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("history: no key 'binary_accuracy'; it has loss, accuracy, lr (metrics log under their"
                            + " name, e.g. 'accuracy'; validation ones with 'val_')");
            assertThatThrownBy(() -> h.get("val_loss")).hasMessageContaining("no key 'val_loss'");
            assertThat(h.has("accuracy")).isTrue();
        }
    }

    @Test
    void reduceOnPlateauLowersTheRateAfterPatienceEpochsWithoutGainAndStopsAtItsFloor() {
        try (Sequential m = net(0.1)) {
            ReduceOnPlateau plateau = new ReduceOnPlateau("val_loss", 0.5, 2, 0.01, 0.02);
            plateau.setModel(m);
            plateau.onTrainBegin(10, 3);
            double[] valLoss = {1.0, 0.9, 0.895, 0.9, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6};
            double[] rateAfter = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02, 0.02};
            for (int epoch = 0; epoch < valLoss.length; epoch++) {
                m.optimizer().beginEpoch(epoch);
                plateau.onEpochEnd(epoch, Map.of("val_loss", valLoss[epoch]));
                m.optimizer().beginEpoch(epoch + 1);
                assertThat(m.optimizer().learningRate()).as("rate after epoch %d", epoch)
                        .isCloseTo(rateAfter[epoch], within(1e-15));
            }
            assertThat(plateau.reductions()).isEqualTo(3);
        }
    }

    @Test
    void reduceOnPlateauScalesAScheduleAndACheckpointKeepsTheReduction() {
        Path file = dir.resolve("plateau.safetensors");
        try (Sequential m = new Sequential(new Dense(2, 3), new Dense(1))) {
            m.backend(cpu).seed(5);
            m.compile(new Sgd(0.1).schedule(new ExponentialDecay(0.5)), Losses.binaryCrossEntropy());
            m.fit(train, options(12).callbacks(new ReduceOnPlateau("loss", 0.5, 1, 1e9, 0)));
            // the first epoch improves on nothing; with minDelta 1e9 each of the other 11 is a plateau
            assertThat(m.optimizer().rateFactor()).isCloseTo(Math.pow(0.5, 11), within(1e-18));
            m.save(file);
        }
        try (Sequential back = Model.load(file, cpu, null)) {
            assertThat(back.optimizer().rateFactor()).isCloseTo(Math.pow(0.5, 11), within(1e-18));
            back.optimizer().beginEpoch(12);
            assertThat(back.optimizer().learningRate()).isCloseTo(0.1 * Math.pow(0.5, 12) * Math.pow(0.5, 11),
                    within(1e-18));
        }
    }

    @Test
    void reduceOnPlateauRefusesBadSettingsWithTheValue() {
        assertThatThrownBy(() -> new ReduceOnPlateau("val_loss", 1.0, 2, 0, 0))
                .hasMessage("reduceOnPlateau: factor must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> new ReduceOnPlateau("val_loss", 0.5, 0, 0, 0))
                .hasMessage("reduceOnPlateau: patience must be >= 1, got 0");
        assertThatThrownBy(() -> new ReduceOnPlateau("val_loss", 0.5, 1, 0, -1))
                .hasMessage("reduceOnPlateau: minRate must be >= 0 and finite, got -1.0");
    }
}
