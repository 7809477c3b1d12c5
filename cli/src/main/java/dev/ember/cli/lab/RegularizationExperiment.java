package dev.ember.cli.lab;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.MaskSource;
import dev.ember.nn.optim.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Regularisation: the football data, 2→20→3→1, full-batch gradient descent at 0.3 for 30 000
 * iterations, weights standard normal / √fan_in; no regularisation (over-fits the noise), L2 with
 * λ = 0.7, and dropout keeping 86% of both hidden layers' units.
 */
final class RegularizationExperiment implements Experiment {
    static final int[] DIMS = {2, 20, 3, 1};
    static final int ITERATIONS = 30_000;
    static final double RATE = 0.3;
    static final double LAMBDA = 0.7;
    static final double KEEP = 0.86;

    @Override
    public String name() {
        return "regularization";
    }

    @Override
    public String description() {
        return "regularisation: none vs L2 (0.7) vs dropout (keep 0.86) on the football data (2-20-3-1, GD 0.3, 30000"
                + " iterations)";
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        Dataset train = LabData.course("football_train");
        Dataset test = LabData.course("football_test");
        Plots plots = new Plots(ctx.out());
        int iterations = ctx.scaled(ITERATIONS);
        List<VariantResult> out = new ArrayList<>();
        for (String variant : List.of("none", "l2", "dropout")) {
            BinaryRun run = new BinaryRun(name(), variant, DIMS).kernels(kernels(ctx.numpyRng()))
                    .optimizer(() -> new Sgd(RATE)).fullBatch(iterations).data(train, null, test);
            if (variant.equals("l2")) {
                run.l2(LAMBDA);
            } else if (variant.equals("dropout")) {
                int[] units = {DIMS[1], DIMS[2]};
                MaskSource[] masks = ctx.numpyRng()
                        ? new MaskSource[] {NumpyCourse.masks(1, units, 0), NumpyCourse.masks(1, units, 1)}
                        : null;
                run.dropout(KEEP, masks);
            }
            out.add(run.run(ctx, plots));
        }
        plots.costs("regularization-costs", "regularization: cost per iteration (football, GD 0.3)", "iteration", out,
                true);
        return LabCommand.result(name(), ctx, start, out, plots, List.of(
                "published (numpy original): none train 0.948 / test 0.915; l2 train 0.938 / test 0.93;"
                        + " dropout train 0.929 / test 0.95"));
    }

    static Initializer[] kernels(boolean numpy) {
        if (numpy) {
            return NumpyCourse.weights(3, DIMS, NumpyCourse.Scaling.dividedBySqrtFanIn());
        }
        Initializer[] k = new Initializer[DIMS.length - 1];
        Arrays.fill(k, Initializers.lecunNormal());
        return k;
    }
}
