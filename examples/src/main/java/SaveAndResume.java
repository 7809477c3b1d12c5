// SaveAndResume.java
import dev.ember.nn.data.*;                   // Dataset, Generators
import dev.ember.nn.layers.*;                 // Dense, Activation
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.*;                  // Sequential, Model
import dev.ember.nn.optim.Adam;
import dev.ember.nn.train.*;                  // FitOptions, History, ModelCheckpoint, EarlyStopping, CsvLogger

void main() throws IOException {
    Dataset train = Generators.circles(300, 0.1, 0.5, 1);
    Dataset dev = Generators.circles(100, 0.1, 0.5, 2);
    Path dir = Files.createTempDirectory("ember-checkpoints");
    try (var model = new Sequential(new Dense(2, 16), Activation.relu(), new Dense(1))) {
        model.seed(3);
        model.compile(new Adam(0.01), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
        model.fit(train, FitOptions.defaults().epochs(20).batchSize(64).validation(dev).progress(false).callbacks(
                ModelCheckpoint.best(dir.resolve("best.safetensors"), "val_loss"),  // or ModelCheckpoint.last(path)
                new EarlyStopping("val_loss", 5, 1e-4).restoreBestWeights(true), // patience, min-delta
                new CsvLogger(dir.resolve("history.csv"))));                     // .append(true) when resuming
        model.save(dir.resolve("model.safetensors"));  // weights, batch-norm statistics, optimiser state, architecture, position
    }
    try (Sequential back = Model.load(dir.resolve("model.safetensors"))) {      // default backend, the saved dtype
        int resumedAt = back.epoch();
        History h = back.fit(train, FitOptions.defaults().epochs(40).batchSize(64).validation(dev).progress(false)
                .initialEpoch(resumedAt));                                       // epochs is the total, as in Keras
        IO.println("resumed after epoch " + resumedAt + ", dev accuracy " + h.last("val_accuracy"));
    }
}
