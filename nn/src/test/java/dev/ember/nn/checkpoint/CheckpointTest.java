package dev.ember.nn.checkpoint;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.spi.Backend;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Generators;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Model;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.Nesterov;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.schedule.CosineDecay;
import dev.ember.nn.schedule.ExponentialDecay;
import dev.ember.nn.testing.TestBackends;
import dev.ember.nn.train.FitOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Model.save / Model.load / restore on the CPU backend, and files that do not fit the model. */
class CheckpointTest {
    private static final double[][] ROWS = {{0.5, -1}, {2, 0.25}, {-1, 1}};

    @TempDir
    Path dir;

    private final Backend cpu = TestBackends.byName("cpu");

    private Sequential net(int hidden) {
        Sequential m = new Sequential(new Dense(2, hidden).activation(Activation.relu()), new BatchNorm(),
                new Dropout(0.8), new Dense(1));
        m.backend(cpu).seed(11);
        return m;
    }

    private Sequential trained(int hidden) {
        Sequential m = net(hidden);
        m.regularization(new L2Regularization(0.1));
        m.compile(new Adam(0.02).schedule(new ExponentialDecay(0.9)), Losses.binaryCrossEntropy(),
                Metrics.binaryAccuracy());
        m.fit(Generators.moons(40, 0.2, 3), FitOptions.defaults().epochs(2).batchSize(20).progress(false));
        return m;
    }

    @Test
    void loadRebuildsCompilesAndRestoresTheModel() {
        Path file = dir.resolve("m.safetensors");
        double[][] expected;
        try (Sequential m = trained(4)) {
            m.save(file);
            expected = m.predict(ROWS);
        }
        try (Sequential back = Model.load(file, cpu, null)) {
            assertThat(back.predict(ROWS)).isDeepEqualTo(expected);
            assertThat(back.layers()).extracting(l -> l.getClass().getSimpleName())
                    .containsExactly("Dense", "BatchNorm", "Dropout", "Dense");
            assertThat(back.epoch()).isEqualTo(2);
            assertThat(back.steps()).isEqualTo(4);
            assertThat(back.optimizer().name()).isEqualTo("adam");
            assertThat(back.optimizer().iterations()).isEqualTo(4);
            assertThat(back.optimizer().schedule()).isEqualTo(new ExponentialDecay(0.9));
            assertThat(back.regularization()).isEqualTo(new L2Regularization(0.1));
            assertThat(back.dtype()).isEqualTo(DType.F32);
        }
        try (Sequential wide = Model.load(file, cpu, DType.F64)) {
            assertThat(wide.dtype()).isEqualTo(DType.F64);
            assertThat(wide.predict(ROWS)[0][0]).isCloseTo(expected[0][0], within(1e-6));
        }
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.header().metadata()).containsEntry("format", Checkpoints.FORMAT).containsEntry("epoch", "2")
                    .containsEntry("step", "4").containsKeys("ember_version", "architecture", "training");
            assertThat(f.header().tensor("optimizer/dense_0/kernel/m")).isNotNull();
            assertThat(f.header().tensor("batch_norm_1/moving_mean")).isNotNull();
        }
    }

    @Test
    void nesterovAndCosineDecayAreRecordedAndRebuilt() {
        Path file = dir.resolve("n.safetensors");
        try (Sequential m = net(3)) {
            m.compile(new Nesterov(0.05, 0.8).schedule(new CosineDecay(1, 5, 0.1)), Losses.binaryCrossEntropy());
            m.fit(Generators.moons(40, 0.2, 3), FitOptions.defaults().epochs(2).batchSize(20).progress(false));
            m.save(file);
        }
        try (Sequential back = Model.load(file, cpu, null)) {
            assertThat(back.optimizer().name()).isEqualTo("nesterov");
            assertThat(back.optimizer().hyperparameters()).containsEntry("beta", 0.8);
            assertThat(back.optimizer().schedule()).isEqualTo(new CosineDecay(1, 5, 0.1));
        }
    }

    @Test
    void aFileThatDoesNotFitTheModelNamesTheTensorAndChangesNothing() {
        Path file = dir.resolve("m.safetensors");
        try (Sequential m = trained(4)) {
            m.save(file);
        }
        try (Sequential other = net(5)) {
            other.compile(new Adam(0.02), Losses.binaryCrossEntropy());
            other.build(Shape.of(2));
            double[] before = other.variables().get(0).value().toDoubleArray();
            assertThatThrownBy(() -> other.restore(file)).isInstanceOf(CheckpointException.class)
                    .hasMessage("checkpoint " + file + ": tensor 'dense_0/kernel': has shape [2, 4] in the file but the"
                            + " model's parameter is [2, 5]");
            assertThat(other.variables().get(0).value().toDoubleArray()).containsExactly(before);
        }
        try (Sequential fewer = new Sequential(new Dense(2, 4).activation(Activation.relu()))) {
            fewer.backend(cpu).build(Shape.of(2));
            assertThatThrownBy(() -> fewer.restore(file)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("tensor 'batch_norm_1/gamma': is not a parameter of the model");
        }
    }

    @Test
    void anotherOptimiserGetsTheWeightsButNotTheState() {
        Path file = dir.resolve("m.safetensors");
        double[][] expected;
        try (Sequential m = trained(4)) {
            m.save(file);
            expected = m.predict(ROWS);
        }
        try (Sequential same = net(4)) {
            same.compile(new Sgd(0.1), Losses.binaryCrossEntropy());
            same.build(Shape.of(2));
            same.restore(file);
            assertThat(same.predict(ROWS)).isDeepEqualTo(expected);
            assertThat(same.optimizer().iterations()).isZero();
            assertThat(same.epoch()).isEqualTo(2);
        }
    }

    @Test
    void hostileArchitectureIsRejectedBeforeAnythingIsBuilt() throws Exception {
        Path file = dir.resolve("m.safetensors");
        try (Sequential m = trained(4)) {
            m.save(file);
        }
        // 2^31-1 units would be 16 GiB of kernel if built first: the tensor check must come before
        SafetensorsWriter w = new SafetensorsWriter();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            f.header().metadata().forEach((k, v) -> w.metadata(k, v.replace("\"units\":4", "\"units\":2147483647")));
            for (TensorEntry t : f.header().tensors()) {
                w.tensor(t.name(), t.dtype(), t.shape(), f.doubles(t));
            }
        }
        w.write(file);
        assertThatThrownBy(() -> Model.load(file, cpu, null)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tensor 'dense_0/kernel': has shape [2, 4] in the file but the model's parameter"
                        + " is [2, 2147483647]");
    }

    @Test
    void aPlainSafetensorsFileIsNotACheckpoint() {
        Path file = dir.resolve("plain.safetensors");
        new SafetensorsWriter().tensor("x", TensorDType.F32, new long[] {1}, new double[] {1}).write(file);
        assertThatThrownBy(() -> Model.load(file)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("not an Ember checkpoint");
    }

    @Test
    void savingAnUnbuiltModelFailsClearly() {
        try (Sequential m = net(3)) {
            assertThatThrownBy(() -> m.save(dir.resolve("x"))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("save: the model is not built");
        }
    }

    static Dataset data() {
        return Generators.moons(40, 0.2, 3);
    }
}
