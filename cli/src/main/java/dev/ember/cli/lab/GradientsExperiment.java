package dev.ember.cli.lab;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Split;
import dev.ember.nn.layers.Activation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Vanishing and exploding gradients, seen and fixed, on a deep narrow plain network (no skip
 * connections): Fashion-MNIST (a stratified training and dev set from the start of the training
 * file), 784→14×64→10 ({@link DeepNet}) trained with SGD + momentum. First sigmoid, tanh and ReLU
 * under four initialisations (N(0,1)×0.01, N(0,1), Xavier/Glorot, He), where the initialisation
 * matched to the activation is the first remedy; then batch norm on a vanishing and on two exploding
 * configurations, and gradient clipping by global norm on a run made to explode by a large learning
 * rate, each beside its baseline. Every variant reports its training curve, every layer's gradient
 * norm and every hidden layer's activation statistics at the first steps and through training, and
 * the ratio of the first layer's gradient norm to the last layer's.
 */
final class GradientsExperiment implements Experiment {
    static final int TRAIN = 20_000;
    static final int DEV = 5_000;
    static final int EPOCHS = 4;
    static final int BATCH = 128;
    static final int WINDOW = 10;
    /** The learning rate that makes He + ReLU explode without clipping. */
    static final double EXPLODING_RATE = 1;
    static final double CLIP_NORM = 1;

    @Override
    public String name() {
        return "gradients";
    }

    @Override
    public String description() {
        return "gradients: 15-layer 784-14x64-10, sigmoid/tanh/ReLU x 4 inits; batch norm and clipping (Fashion-MNIST)";
    }

    /** The variants, grouped for the plots: activation x initialisation, then the remedies beside their baselines. */
    static Map<String, List<DeepNet>> variants() {
        Map<String, List<DeepNet>> groups = new LinkedHashMap<>();
        for (Activation.Kind a : new Activation.Kind[] {Activation.Kind.SIGMOID, Activation.Kind.TANH,
                Activation.Kind.RELU}) {
            List<DeepNet> g = new ArrayList<>();
            for (DeepNet.Init i : DeepNet.Init.values()) {
                g.add(new DeepNet(a, i, false, 0, DeepNet.RATE));
            }
            groups.put(a.name().toLowerCase(Locale.ROOT), g);
        }
        groups.put("remedies", List.of(
                new DeepNet(Activation.Kind.SIGMOID, DeepNet.Init.XAVIER, true, 0, DeepNet.RATE),
                new DeepNet(Activation.Kind.TANH, DeepNet.Init.NORMAL, true, 0, DeepNet.RATE),
                new DeepNet(Activation.Kind.RELU, DeepNet.Init.NORMAL, true, 0, DeepNet.RATE),
                new DeepNet(Activation.Kind.RELU, DeepNet.Init.HE, false, 0, EXPLODING_RATE),
                new DeepNet(Activation.Kind.RELU, DeepNet.Init.HE, false, CLIP_NORM, EXPLODING_RATE)));
        return groups;
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        return run(ctx, variants());
    }

    /** Runs the given groups of variants (a test runs a few again to see them reproduce). */
    private static int trainExamples(double scale) {
        return scale < 1 ? Math.max(1024, (int) Math.round(TRAIN * scale)) : TRAIN;
    }

    private static int devExamples(double scale) {
        return scale < 1 ? Math.max(500, (int) Math.round(DEV * scale)) : DEV;
    }

    @Override
    public LabData.FashionNeeds fashionNeeds(double scale) {
        return new LabData.FashionNeeds(trainExamples(scale) + devExamples(scale), trainExamples(scale)
                + " training + " + devExamples(scale) + " dev", false);
    }

    ExperimentResult run(LabContext ctx, Map<String, List<DeepNet>> groups) {
        long start = System.nanoTime();
        Dataset all = LabData.fashionTraining(ctx, this);
        int nTrain = trainExamples(ctx.scale());
        int nDev = devExamples(ctx.scale());
        // split only the examples used: Fashion-MNIST's training file is already in random order
        Dataset used = all.slice(0, nTrain + nDev);
        double fDev = nDev / (double) used.size();
        Split.Parts parts = Split.of(used, 1 - fDev, fDev, 0).seed(ctx.seed()).stratified(true).apply();
        int epochs = ctx.scaled(EPOCHS);
        Plots plots = new Plots(ctx.out());
        Map<DeepNet, VariantResult> results = new LinkedHashMap<>();
        groups.forEach((group, nets) -> {
            List<VariantResult> g = new ArrayList<>();
            for (DeepNet net : nets) {
                VariantResult v = new GradientsRun(net, parts.train(), parts.dev(), epochs, BATCH, WINDOW).run(ctx);
                results.put(net, v);
                g.add(v);
            }
            GradientsPlots.group(plots, group, g);
        });
        List<String> notes = new ArrayList<>(remedies(results));
        notes.add(String.format(Locale.ROOT, "%d training and %d dev examples (stratified, seed %d), %d epochs of"
                        + " batches of %d, SGD + momentum %.1f at %s unless named; |g1|/|g15| = first over last Dense"
                        + " layer's gradient norm (kernel and bias) at step 1 and at the last sampled step; max |g| ="
                        + " largest Dense layer gradient norm at any step; vanish/explode = layers under %.0e / over %.0e at step 1;"
                        + " std L14 = last hidden activation's spread and sat/dead = hidden units passing under %.0f%%"
                        + " of the activation's largest slope, at step 1", parts.train().size(), parts.dev().size(),
                ctx.seed(), epochs, BATCH, DeepNet.MOMENTUM, BatchNormExperiment.rateText(DeepNet.RATE),
                GradientsRun.VANISHING, GradientsRun.EXPLODING, 100 * ActivationStats.SATURATION));
        return LabCommand.result(name(), ctx, start, new ArrayList<>(results.values()), plots, notes);
    }

    /** One line per remedy: its ratio and final cost beside its baseline's. */
    private static List<String> remedies(Map<DeepNet, VariantResult> results) {
        List<String> lines = new ArrayList<>();
        results.forEach((net, v) -> {
            VariantResult base = results.get(net.baseline());
            if (net.isRemedy() && base != null) {
                lines.add(String.format(Locale.ROOT, "%s -> %s: |g1|/|g15| %.2e -> %.2e, max |g| %.2e -> %.2e,"
                        + " final cost %s -> %s", base.name(), v.name(), ratio(base), ratio(v),
                        (Double) base.extra().get("max_gradient_norm"), (Double) v.extra().get("max_gradient_norm"),
                        cost(base), cost(v)));
            }
        });
        return lines;
    }

    private static double ratio(VariantResult v) {
        return (Double) v.extra().get("gradient_ratio_first_last");
    }

    private static String cost(VariantResult v) {
        return v.finalCost() == null ? "diverged at step " + v.extra().get("diverged_at_step")
                : String.format(Locale.ROOT, "%.4f", v.finalCost());
    }

    @Override
    public String table(ExperimentResult r) {
        return GradientsTable.of(r);
    }
}
