// TrainNetwork.java
import dev.ember.nn.data.*;                   // Dataset, Generators
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.*;                 // Dense, Activation, Dropout, BatchNorm
import dev.ember.nn.losses.*;                 // Losses, L2Regularization
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.train.*;                  // FitOptions, History

void main() {
    Dataset train = Generators.circles(300, 0.1, 0.5, 1);     // two rings of 2-D points, labels 0/1
    Dataset dev = Generators.circles(100, 0.1, 0.5, 2);
    try (var model = new Sequential(
            new Dense(2, 10).kernelInitializer(Initializers.heNormal()), Activation.relu(),
            new Dense(5).kernelInitializer(Initializers.heNormal()), Activation.relu(),
            new Dense(1))) {                   // logits: the loss applies the sigmoid
        model.seed(3).regularization(new L2Regularization(0.7));
        model.compile(new Adam(0.01), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
        History history = model.fit(train, FitOptions.defaults().epochs(300).batchSize(64).validation(dev));
        double[][] probabilities = model.predict(new double[][] {{0.5, -1.2}});
        IO.println("dev accuracy " + history.last("val_accuracy") + ", p = " + probabilities[0][0]);
    }
}
