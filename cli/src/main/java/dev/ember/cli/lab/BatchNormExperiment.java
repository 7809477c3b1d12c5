package dev.ember.cli.lab;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Split;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Momentum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Batch normalisation on a deep narrow network: Fashion-MNIST (a stratified part of the training set,
 * with a dev set carved from the rest), 784→6×100→10 (ReLU, softmax; Glorot-uniform weights, the
 * Keras default, under which a plain deep ReLU stack shrinks its signal layer by layer), SGD with
 * momentum 0.9 ({@code v = βv + (1-β)g}, so the step is the learning rate times the averaged
 * gradient) at three learning rates, each with and without a {@link BatchNorm} between every hidden
 * Dense layer and its ReLU (the Dense layers then drop their bias: batch norm's β replaces it).
 * Same seed, same data order, same epochs for all six runs. The cost is the training loss, recorded
 * as the mean over windows of {@value #WINDOW} steps, so the curves show how fast each run trains;
 * a run whose loss stops being finite is stopped and reported as diverged.
 */
final class BatchNormExperiment implements Experiment {
    static final double[] RATES = {0.01, 0.3, 3.0};
    static final int HIDDEN_LAYERS = 6;
    static final int UNITS = 100;
    static final int EPOCHS = 5;
    static final int BATCH = 128;
    static final int TRAIN = 20_000;
    static final int DEV = 5_000;
    static final int WINDOW = 10;
    /** Running-average momentum of batch norm (PyTorch's 0.1 in Keras's convention): short runs need it. */
    static final double BN_MOMENTUM = 0.9;
    /** The cost level whose first crossing the table's notes compare ("how fast does it train"). */
    static final double TARGET_COST = 0.6;

    @Override
    public String name() {
        return "batchnorm";
    }

    @Override
    public String description() {
        return "batchnorm: Fashion-MNIST 784-6x100-10, SGD+momentum at 0.01/0.1/1, with and without batch norm";
    }

    private static int trainExamples(double scale) {
        return scale < 1 ? Math.max(2000, (int) Math.round(TRAIN * scale)) : TRAIN;
    }

    private static int devExamples(double scale) {
        return scale < 1 ? Math.max(1000, (int) Math.round(DEV * scale)) : DEV;
    }

    @Override
    public LabData.FashionNeeds fashionNeeds(double scale) {
        return new LabData.FashionNeeds(trainExamples(scale) + devExamples(scale), trainExamples(scale)
                + " training + " + devExamples(scale) + " dev", false);
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        Dataset all = LabData.fashionTraining(ctx, this);
        int nTrain = trainExamples(ctx.scale());
        int nDev = devExamples(ctx.scale());
        double fTrain = nTrain / (double) all.size();
        double fDev = nDev / (double) all.size();
        Split.Parts parts = Split.of(all, fTrain, fDev, Math.max(0, 1 - fTrain - fDev)).seed(ctx.seed())
                .stratified(true).apply();
        Dataset train = parts.train();
        Dataset dev = parts.dev();
        int epochs = ctx.scaled(EPOCHS);
        // warm the JIT up on both networks first, so the first variant's seconds are comparable
        Dataset warm = train.slice(0, Math.min(train.size(), 20 * BATCH));
        train(ctx, false, RATES[0], warm, dev.slice(0, Math.min(dev.size(), 500)), 1, true);
        train(ctx, true, RATES[0], warm, dev.slice(0, Math.min(dev.size(), 500)), 1, true);
        List<VariantResult> variants = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (double rate : RATES) {
            for (boolean bn : new boolean[] {false, true}) {
                variants.add(train(ctx, bn, rate, train, dev, epochs, false));
            }
        }
        StringBuilder speed = new StringBuilder(String.format(Locale.ROOT,
                "steps until the windowed training cost first falls below %.1f (of %d):", TARGET_COST,
                epochs * train.batchCount(BATCH)));
        for (VariantResult v : variants) {
            Object s = v.extra().get("steps_to_target_cost");
            speed.append(' ').append(v.name()).append(' ')
                    .append(Boolean.TRUE.equals(v.extra().get("diverged")) ? "diverged" : s == null ? "never" : s)
                    .append(';');
        }
        notes.add(speed.substring(0, speed.length() - 1));
        notes.add(String.format(Locale.ROOT, "%d training and %d dev examples (stratified, seed %d), %d epochs of"
                        + " batches of %d, momentum 0.9, Glorot-uniform weights; batch norm momentum %.2f;"
                + " final cost = mean training loss of the last epoch", train.size(), dev.size(), ctx.seed(), epochs,
                BATCH, BN_MOMENTUM));
        Plots plots = new Plots(ctx.out());
        plots.costs("batchnorm-costs", "batchnorm: training cost, 784-6x100-10, with (bn) and without (plain) batch"
                + " norm", "step", variants, true);
        return LabCommand.result(name(), ctx, start, variants, plots, notes);
    }

    static String variantName(boolean bn, double rate) {
        return (bn ? "bn" : "plain") + " lr=" + rateText(rate);
    }

    private static VariantResult train(LabContext ctx, boolean bn, double rate, Dataset train, Dataset dev,
                                       int epochs, boolean quiet) {
        long start = System.nanoTime();
        String name = variantName(bn, rate);
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < HIDDEN_LAYERS; l++) {
            Dense d = l == 0 ? new Dense(784, UNITS) : new Dense(UNITS);   // Glorot-uniform weights
            layers.add(bn ? d.useBias(false) : d);
            if (bn) {
                layers.add(new BatchNorm(BN_MOMENTUM, 1e-3));
            }
            layers.add(Activation.relu());
        }
        layers.add(new Dense(10));   // logits: categorical cross-entropy applies the softmax
        List<Double> devPerEpoch = new ArrayList<>();
        WindowedTraining.Outcome run;
        Double trainAcc;
        Double devAcc;
        try (Sequential model = new Sequential(layers)) {
            model.backend(ctx.backend()).dtype(ctx.dtype()).seed(ctx.seed());
            model.compile(new Momentum(rate, 0.9), Losses.categoricalCrossEntropy(), Metrics.categoricalAccuracy());
            run = WindowedTraining.run(model, train, ctx, epochs, BATCH, WINDOW, new WindowedTraining.Hooks() {
                @Override
                public void afterEpoch(int epoch, double meanLoss) {
                    double d = accuracy(model, dev);
                    devPerEpoch.add(d);
                    if (!quiet) {
                        ctx.progress().accept(String.format(Locale.ROOT,
                            "  batchnorm/%s: epoch %d/%d, cost %.4f, dev accuracy %.4f", name, epoch + 1, epochs,
                            meanLoss, d));
                    }
                }
            });
            if (run.diverged() && !quiet) {
                ctx.progress().accept(String.format(Locale.ROOT,
                        "  batchnorm/%s: the loss is not finite at step %d: diverged, stopped", name, run.divergedAt()));
            }
            trainAcc = accuracy(model, train);
            devAcc = accuracy(model, dev);
            if (!quiet) {
                ctx.saveVariant(model, "batchnorm", name);
            }
        }
        Integer stepsToTarget = run.firstStepBelow(TARGET_COST);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("batch_norm", bn);
        extra.put("learning_rate", rate);
        extra.put("diverged", run.diverged());
        if (run.diverged()) {
            extra.put("diverged_at_step", run.divergedAt());
        }
        extra.put("epochs", epochs);
        extra.put("dev_accuracy_per_epoch", devPerEpoch);
        extra.put("train_examples", train.size());
        extra.put("dev_examples", dev.size());
        if (stepsToTarget != null) {
            extra.put("steps_to_target_cost", stepsToTarget);
        }
        extra.put("target_cost", TARGET_COST);
        return new VariantResult(name, trainAcc, devAcc, null, run.diverged() ? null : run.lastEpochCost(),
                run.costs(), (System.nanoTime() - start) / 1e9, extra);
    }

    /** Accuracy in inference mode (batch norm with its running averages); NaN outputs count as wrong. */
    static double accuracy(Sequential model, Dataset d) {
        Double a = model.evaluate(d, 1000).get("accuracy");
        return a == null || !Double.isFinite(a) ? 0 : a;
    }

    /** Learning rates as short text (0.01, 0.1, 1). */
    static String rateText(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
