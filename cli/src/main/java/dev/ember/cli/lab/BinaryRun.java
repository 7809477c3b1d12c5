package dev.ember.cli.lab;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Dropout;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.layers.MaskSource;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Optimizer;
import dev.ember.nn.train.Callback;
import dev.ember.nn.train.FitOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One variant of a 2-D binary experiment: a ReLU MLP whose logit the binary cross-entropy
 * turns into a probability (sigmoid), trained with {@code fit}
 * (full batch or mini-batches), its cost recorded every few steps, its accuracies measured, and its
 * decision boundary plotted.
 */
final class BinaryRun {
    private final String experiment;
    private final String name;
    private final int[] dims;
    private Initializer[] kernels;
    private double lambda;
    private double keep = 1;
    private MaskSource[] masks;
    private Supplier<Optimizer> optimizer;
    private int batchSize;               // 0: full batch
    private int epochs;
    private Shuffler shuffler = Shuffler.none();
    private Dataset train;
    private Dataset dev;
    private Dataset test;

    BinaryRun(String experiment, String name, int... dims) {
        this.experiment = experiment;
        this.name = name;
        this.dims = dims.clone();
    }

    BinaryRun kernels(Initializer... k) {
        if (k.length != dims.length - 1) {
            throw new IllegalArgumentException(name + ": " + k.length + " initialisers for " + (dims.length - 1)
                    + " layers");
        }
        this.kernels = k.clone();
        return this;
    }

    BinaryRun l2(double l) {
        this.lambda = l;
        return this;
    }

    /** Dropout after every hidden layer; {@code sources} null for the model's Philox masks. */
    BinaryRun dropout(double keepProb, MaskSource... sources) {
        this.keep = keepProb;
        this.masks = sources;
        return this;
    }

    BinaryRun optimizer(Supplier<Optimizer> o) {
        this.optimizer = o;
        return this;
    }

    BinaryRun fullBatch(int iterations) {
        this.batchSize = 0;
        this.epochs = iterations;
        return this;
    }

    BinaryRun miniBatches(int size, int epochCount, Shuffler order) {
        this.batchSize = size;
        this.epochs = epochCount;
        this.shuffler = order;
        return this;
    }

    BinaryRun data(Dataset trainSet, Dataset devSet, Dataset testSet) {
        this.train = trainSet;
        this.dev = devSet;
        this.test = testSet;
        return this;
    }

    VariantResult run(LabContext ctx, Plots plots) {
        long start = System.nanoTime();
        List<Layer> layers = new ArrayList<>();
        int hidden = dims.length - 2;
        for (int l = 1; l < dims.length; l++) {
            Dense d = l == 1 ? new Dense(dims[0], dims[1]) : new Dense(dims[l]);
            if (kernels != null) {
                d.kernelInitializer(kernels[l - 1]);
            }
            layers.add(d);
            if (l < dims.length - 1) {
                layers.add(Activation.relu());
                if (keep < 1) {
                    Dropout drop = new Dropout(keep);
                    if (masks != null && masks[l - 1] != null) {
                        drop.masks(masks[l - 1]);
                    }
                    layers.add(drop);
                }
            }
        }
        // no sigmoid layer: the loss applies it to the logits, and predict() returns probabilities
        String unit = batchSize == 0 ? "iteration" : "epoch";
        List<double[]> costs = new ArrayList<>();
        int every = epochs >= 1500 ? 100 : Math.max(1, epochs / 15);
        Callback recorder = new Callback() {
            private int nextReport = Math.max(1, epochs / 10);

            @Override
            public void onEpochEnd(int epoch, Map<String, Double> logs) {
                double cost = logs.get("loss");
                if (epoch % every == 0 || epoch == epochs - 1) {
                    costs.add(new double[] {epoch, cost});
                }
                if (epoch + 1 >= nextReport || epoch == epochs - 1) {
                    ctx.progress().accept(String.format(java.util.Locale.ROOT, "  %s/%s: %s %d/%d, cost %.6f",
                            experiment, name, unit, epoch + 1, epochs, cost));
                    nextReport += Math.max(1, epochs / 10);
                }
            }
        };
        try (Sequential model = new Sequential(layers)) {
            model.backend(ctx.backend()).dtype(ctx.dtype()).seed(ctx.seed());
            if (lambda > 0) {
                model.regularization(new L2Regularization(lambda));
            }
            model.compile(optimizer.get(), ctx.numpyRng() ? NumpyCourse.crossEntropy() : Losses.binaryCrossEntropy(),
                    Metrics.binaryAccuracy());
            FitOptions options = FitOptions.defaults().epochs(epochs).progress(false).shuffle(shuffler)
                    .onNonFiniteLoss(FitOptions.NonFinite.WARN).checkLossEvery(Math.max(1, epochs))
                    .callbacks(recorder);
            if (batchSize == 0) {
                options.fullBatch();
            } else {
                options.batchSize(batchSize);
            }
            model.fit(train, options);
            ctx.saveVariant(model, experiment, name);
            Double trainAcc = accuracy(model, train);
            Double devAcc = dev == null ? null : accuracy(model, dev);
            Double testAcc = test == null ? null : accuracy(model, test);
            if (plots.enabled()) {
                Dataset shown = test != null ? test : train;
                plots.boundary(experiment + "-" + fileName(name) + "-boundary",
                        experiment + " / " + name + " (" + (test != null ? "test" : "train") + " set)",
                        shown.features(), shown.labels(), model::predict);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new VariantResult(name, trainAcc, devAcc, testAcc, costs.get(costs.size() - 1)[1], costs, seconds,
                    null);
        }
    }

    static String fileName(String variant) {
        return variant.replace('+', '-').replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static Double accuracy(Sequential model, Dataset d) {
        return model.evaluate(d, d.size()).get("accuracy");
    }
}
