package dev.ember.cli.lab;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.optim.Sgd;

import java.util.ArrayList;
import java.util.List;

/**
 * Initialisation: the circles, a 2→10→5→1 ReLU/ReLU/sigmoid network, full-batch gradient descent at
 * 0.01 for 15 000 iterations, with zeros (symmetry never breaks), standard normal × 10 (saturated
 * sigmoid, a huge first cost, slow progress) and He initialisation (fast, clean boundary).
 */
final class InitExperiment implements Experiment {
    static final int[] DIMS = {2, 10, 5, 1};
    static final int ITERATIONS = 15_000;
    static final double RATE = 0.01;

    @Override
    public String name() {
        return "init";
    }

    @Override
    public String description() {
        return "initialisation: zeros vs N(0,1)x10 vs He on the circles (2-10-5-1, GD 0.01, 15000 iterations)";
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        Dataset train = LabData.course("circles_train");
        Dataset test = LabData.course("circles_test");
        Plots plots = new Plots(ctx.out());
        int iterations = ctx.scaled(ITERATIONS);
        List<VariantResult> out = new ArrayList<>();
        for (String variant : List.of("zeros", "random", "he")) {
            Initializer[] kernels = kernels(variant, ctx.numpyRng());
            out.add(new BinaryRun(name(), variant, DIMS).kernels(kernels).optimizer(() -> new Sgd(RATE))
                    .fullBatch(iterations).data(train, null, test).run(ctx, plots));
        }
        plots.costs("init-costs", "init: cost per iteration (circles, GD 0.01)", "iteration", out, true);
        return LabCommand.result(name(), ctx, start, out, plots, List.of(
                "published (numpy original): zeros train 0.50 / test 0.50; random train 0.83 / test 0.86;"
                        + " he train 0.9933 / test 0.96"));
    }

    static Initializer[] kernels(String variant, boolean numpy) {
        int layers = DIMS.length - 1;
        Initializer[] k = new Initializer[layers];
        switch (variant) {
            case "zeros" -> java.util.Arrays.fill(k, Initializers.zeros());
            case "random" -> {
                if (numpy) {
                    return NumpyCourse.weights(3, DIMS, NumpyCourse.Scaling.times(fanIn -> 10));
                }
                java.util.Arrays.fill(k, Initializers.randomNormal(10));
            }
            case "he" -> {
                if (numpy) {
                    return NumpyCourse.weights(3, DIMS, NumpyCourse.Scaling.times(fanIn -> Math.sqrt(2. / fanIn)));
                }
                java.util.Arrays.fill(k, Initializers.heNormal());
            }
            default -> throw new IllegalArgumentException("init: unknown variant " + variant);
        }
        return k;
    }
}
