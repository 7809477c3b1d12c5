package dev.ember.cli.lab;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.Momentum;
import dev.ember.nn.optim.Optimizer;
import dev.ember.nn.optim.Sgd;
import dev.ember.nn.schedule.LearningRateSchedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * Optimisers: the moons, 2→5→2→1 with He initialisation, mini-batches of 64 reshuffled every epoch,
 * 5 000 epochs: gradient descent, momentum (β = 0.9) and Adam (0.9, 0.999, 1e-8) at 0.0007; then the
 * same three with the learning rate decayed every 1 000 epochs (decay rate 1) from 0.1 (gd, momentum)
 * and 0.01 (adam).
 */
final class OptimizersExperiment implements Experiment {
    static final int[] DIMS = {2, 5, 2, 1};
    static final int EPOCHS = 5_000;
    static final int BATCH = 64;

    private record Variant(String name, double rate, DoubleFunction<Optimizer> make, boolean decay) {
    }

    static final List<String> VARIANTS = List.of("gd", "momentum", "adam", "gd+decay", "momentum+decay", "adam+decay");

    @Override
    public String name() {
        return "optimizers";
    }

    @Override
    public String description() {
        return "optimisers: gd vs momentum vs adam, then with learning-rate decay, on the moons (2-5-2-1, batches of"
                + " 64, 5000 epochs)";
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        return run(ctx, VARIANTS);
    }

    ExperimentResult run(LabContext ctx, List<String> which) {
        long start = System.nanoTime();
        Dataset train = LabData.course("moons_train");
        Plots plots = new Plots(ctx.out());
        int epochs = ctx.scaled(EPOCHS);
        List<Variant> all = List.of(
                new Variant("gd", 0.0007, Sgd::new, false),
                new Variant("momentum", 0.0007, r -> new Momentum(r, 0.9), false),
                new Variant("adam", 0.0007, r -> new Adam(r, 0.9, 0.999, 1e-8), false),
                new Variant("gd+decay", 0.1, Sgd::new, true),
                new Variant("momentum+decay", 0.1, r -> new Momentum(r, 0.9), true),
                new Variant("adam+decay", 0.01, r -> new Adam(r, 0.9, 0.999, 1e-8), true));
        List<VariantResult> out = new ArrayList<>();
        int interval = Math.max(1, ctx.scaled(1000));
        for (Variant v : all) {
            if (!which.contains(v.name())) {
                continue;
            }
            Shuffler order = ctx.numpyRng() ? NumpyCourse.shuffler(11) : Shuffler.seeded(ctx.seed());
            LearningRateSchedule schedule = v.decay() ? NumpyCourse.decayAfterEpoch(1, interval)
                    : LearningRateSchedule.constant();
            out.add(new BinaryRun(name(), v.name(), DIMS).kernels(kernels(ctx.numpyRng()))
                    .optimizer(() -> v.make().apply(v.rate()).schedule(schedule))
                    .miniBatches(BATCH, epochs, order).data(train, null, null).run(ctx, plots));
        }
        plots.costs("optimizers-costs", "optimizers: cost per epoch (moons, batches of 64)", "epoch", out, false);
        return LabCommand.result(name(), ctx, start, out, plots, List.of(
                "numpy original (5000 epochs, train accuracy): gd 0.7167, momentum 0.7167, adam 0.9433;"
                        + " gd+decay 0.9433, momentum+decay 0.9533, adam+decay 0.94",
                "decay: after epoch i the rate becomes rate0 / (1 + floor(i / 1000)), as in the original"));
    }

    static Initializer[] kernels(boolean numpy) {
        if (numpy) {
            return NumpyCourse.weights(3, DIMS, NumpyCourse.Scaling.times(fanIn -> Math.sqrt(2.0 / fanIn)));
        }
        Initializer[] k = new Initializer[DIMS.length - 1];
        Arrays.fill(k, Initializers.heNormal());
        return k;
    }
}
