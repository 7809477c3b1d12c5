package dev.ember.cli.lab;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.metrics.Metrics;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.train.GradientNormMonitor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one {@link DeepNet} with SGD + momentum and records every Dense layer's gradient norm at
 * every step (a {@link GradientNormMonitor}; the norms are what the optimiser receives, before any
 * clipping) and every hidden activation's statistics on sampled steps (the {@link ActivationProbe}s,
 * whose host reads are the costlier part). Sampled steps are the first {@value #FIRST_STEPS} (the
 * gradients at and just after initialisation, where vanishing and exploding show most plainly), then
 * about {@value #SAMPLES} more through training and the last. A model with gradient observers trains
 * eagerly.
 */
final class GradientsRun {
    static final int FIRST_STEPS = 3;
    /** About how many steps are sampled after the first ones. */
    static final int SAMPLES = 40;
    /** The monitor's flags: a layer's gradient norm below this vanishes ... */
    static final double VANISHING = 1e-7;
    /** ... and above this explodes. */
    static final double EXPLODING = 1e3;

    /** One sampled step: per-layer gradient norms (input layer first) and per-hidden-layer activation statistics. */
    @JsonPropertyOrder({"step", "gradient_norms", "activation_mean", "activation_std", "saturated"})
    record Sample(@JsonProperty("step") int step,
                  @JsonProperty("gradient_norms") double[] gradientNorms,
                  @JsonProperty("activation_mean") double[] activationMean,
                  @JsonProperty("activation_std") double[] activationStd,
                  @JsonProperty("saturated") double[] saturated) {
        /** First over last layer's gradient norm. */
        double ratio() {
            return gradientNorms[0] / gradientNorms[gradientNorms.length - 1];
        }
    }

    private final DeepNet net;
    private final Dataset train;
    private final Dataset dev;
    private final int epochs;
    private final int batch;
    private final int window;

    GradientsRun(DeepNet net, Dataset train, Dataset dev, int epochs, int batch, int window) {
        this.net = net;
        this.train = train;
        this.dev = dev;
        this.epochs = epochs;
        this.batch = batch;
        this.window = window;
    }

    VariantResult run(LabContext ctx) {
        long start = System.nanoTime();
        int total = epochs * train.batchCount(batch);
        int every = Math.max(1, total / SAMPLES);
        List<ActivationProbe> probes = new ArrayList<>();
        GradientNormMonitor monitor = new GradientNormMonitor(1, VANISHING, EXPLODING);
        WindowedTraining.Outcome outcome;
        double trainAcc;
        double devAcc;
        try (Sequential model = new Sequential(net.layers(probes))) {
            model.backend(ctx.backend()).dtype(ctx.dtype()).seed(ctx.seed());
            model.compile(net.optimizer(), Losses.categoricalCrossEntropy(), Metrics.categoricalAccuracy());
            model.observeGradients(monitor);
            outcome = WindowedTraining.run(model, train, ctx, epochs, batch, window, new WindowedTraining.Hooks() {
                @Override
                public void beforeStep(int step) {
                    if (sampled(step, every, total)) {
                        probes.forEach(p -> p.arm(step));
                    }
                }

                @Override
                public void afterEpoch(int epoch, double meanLoss) {
                    ctx.progress().accept(String.format(Locale.ROOT, "  gradients/%s: epoch %d/%d, cost %.4f",
                            net.name(), epoch + 1, epochs, meanLoss));
                }
            });
            if (outcome.diverged()) {
                ctx.progress().accept(String.format(Locale.ROOT,
                        "  gradients/%s: the loss is not finite at step %d: diverged, stopped", net.name(),
                        outcome.divergedAt()));
            }
            trainAcc = BatchNormExperiment.accuracy(model, train);
            devAcc = BatchNormExperiment.accuracy(model, dev);
            if (ctx.save() != null) {
                // the probes are lab-only identity layers a checkpoint cannot describe: save the same trained
                // layers without them (a view over the model's layers, which the model closes)
                Sequential plain = new Sequential(model.layers().stream()
                        .filter(l -> !(l instanceof ActivationProbe)).toList());
                plain.backend(ctx.backend()).dtype(ctx.dtype()).seed(ctx.seed());
                plain.build(model.inputShape());
                ctx.saveVariant(plain, "gradients", net.name());
            }
        }
        return new VariantResult(net.name(), trainAcc, devAcc, null,
                outcome.diverged() ? null : outcome.lastEpochCost(), outcome.costs(),
                (System.nanoTime() - start) / 1e9, report(outcome, monitor, probes));
    }

    /** The variant's own fields: its configuration, what the monitor and the probes saw, and the data sizes. */
    private Map<String, Object> report(WindowedTraining.Outcome outcome, GradientNormMonitor monitor,
                                       List<ActivationProbe> probes) {
        Map<Integer, double[]> norms = denseNorms(monitor);
        List<Sample> samples = samples(norms, probes);
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("activation", net.activation().name().toLowerCase(Locale.ROOT));
        extra.put("init", net.init().label);
        extra.put("batch_norm", net.batchNorm());
        if (net.clipNorm() > 0) {
            extra.put("clip_norm", net.clipNorm());
        }
        extra.put("learning_rate", net.learningRate());
        extra.put("diverged", outcome.diverged());
        if (outcome.diverged()) {
            extra.put("diverged_at_step", outcome.divergedAt());
        }
        extra.put("gradient_ratio_first_last", first.ratio());
        extra.put("gradient_ratio_first_last_end", last.ratio());
        extra.put("max_gradient_norm", norms.values().stream().flatMapToDouble(Arrays::stream)
                .filter(Double::isFinite).max().orElse(Double.NaN));
        extra.put("global_gradient_norms", globalNorms(monitor));
        extra.put("vanishing_layers_at_start", flagged(monitor, first.step(), GradientNormMonitor.Status.VANISHING));
        extra.put("exploding_layers_at_start", flagged(monitor, first.step(), GradientNormMonitor.Status.EXPLODING));
        extra.put("samples", samples);
        extra.put("epochs", epochs);
        extra.put("train_examples", train.size());
        extra.put("dev_examples", dev.size());
        return extra;
    }

    static boolean sampled(int step, int every, int total) {
        return step <= FIRST_STEPS || step % every == 0 || step == total;
    }

    /** Every Dense layer's gradient norm (input side first) by step. */
    private static Map<Integer, double[]> denseNorms(GradientNormMonitor monitor) {
        Map<Integer, double[]> norms = new LinkedHashMap<>();
        for (GradientNormMonitor.Sample s : monitor.samples()) {
            if (s.layer().startsWith("dense")) {
                int layer = Integer.parseInt(s.layer().substring("dense".length()));
                norms.computeIfAbsent((int) s.step(), k -> new double[DeepNet.DEPTH])[layer - 1] = s.norm();
            }
        }
        return norms;
    }

    /**
     * {@code [step, largest norm of all gradients together]} over windows of steps like the costs' (what
     * clipping by global norm measures; the largest, so a spike before a divergence shows).
     */
    private List<double[]> globalNorms(GradientNormMonitor monitor) {
        Map<Long, Double> squares = new LinkedHashMap<>();
        monitor.samples().forEach(s -> squares.merge(s.step(), s.norm() * s.norm(), Double::sum));
        List<double[]> out = new ArrayList<>();
        squares.forEach((step, sq) -> {
            double norm = Math.sqrt(sq);
            double[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && (long) (last[0] - 1) / window == (step - 1) / window) {
                last[0] = step;
                last[1] = Double.isNaN(last[1]) ? norm : Double.isNaN(norm) ? last[1] : Math.max(last[1], norm);
            } else {
                out.add(new double[] {step, norm});
            }
        });
        return out;
    }

    /** The norms and the probes' statistics at the steps the probes sampled. */
    private static List<Sample> samples(Map<Integer, double[]> norms, List<ActivationProbe> probes) {
        List<Sample> out = new ArrayList<>();
        for (int step : probes.get(0).samples().keySet()) {
            double[] mean = new double[probes.size()];
            double[] std = new double[probes.size()];
            double[] sat = new double[probes.size()];
            for (int l = 0; l < probes.size(); l++) {
                ActivationStats a = probes.get(l).samples().get(step);
                mean[l] = a.mean();
                std[l] = a.std();
                sat[l] = a.saturated();
            }
            out.add(new Sample(step, norms.get(step), mean, std, sat));
        }
        return out;
    }

    private static long flagged(GradientNormMonitor monitor, int step, GradientNormMonitor.Status status) {
        return monitor.samples().stream()
                .filter(s -> s.step() == step && s.layer().startsWith("dense") && s.status() == status).count();
    }
}
