package dev.ember.cli.lab;

import dev.ember.nn.data.Batch;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.DeviceLoader;
import dev.ember.nn.data.Shuffler;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.model.StepResult;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Mini-batch training one {@code trainStep} at a time, for experiments that look inside the run
 * (which {@code fit} hides): the data is reshuffled each epoch by the seeded {@link Shuffler}, the
 * training loss is recorded as the mean over windows of steps (one point per window, plus the last,
 * shorter one), and the first loss that is not finite stops the run as diverged, since every later
 * step would only propagate the NaN.
 */
final class WindowedTraining {
    /** What an experiment does around the steps; steps count from 1. */
    interface Hooks {
        default void beforeStep(int step) {
        }

        default void afterStep(int step, double loss) {
        }

        /** After each completed epoch, with its mean training loss. */
        default void afterEpoch(int epoch, double meanLoss) {
        }
    }

    /**
     * @param costs         {@code [step, mean loss of the window ending there]}
     * @param steps         steps taken (up to and including a diverging one)
     * @param lastEpochCost mean loss of the last completed epoch (NaN if none completed)
     * @param divergedAt    the step whose loss was not finite, or 0
     */
    record Outcome(List<double[]> costs, int steps, double lastEpochCost, int divergedAt) {
        boolean diverged() {
            return divergedAt > 0;
        }

        /** The first step at which the windowed cost is below {@code target}, or null. */
        Integer firstStepBelow(double target) {
            for (double[] c : costs) {
                if (c[1] < target) {
                    return (int) c[0];
                }
            }
            return null;
        }
    }

    private WindowedTraining() {
    }

    /** Trains the compiled {@code model} on {@code train} for {@code epochs} epochs of batches of {@code batch}. */
    static Outcome run(Sequential model, Dataset train, LabContext ctx, int epochs, int batch, int window,
                       Hooks hooks) {
        List<double[]> costs = new ArrayList<>();
        double lastEpochCost = Double.NaN;
        int step = 0;
        try (DeviceLoader loader = new DeviceLoader(train, ctx.backend(), ctx.dtype())) {
            Shuffler order = Shuffler.seeded(ctx.seed());
            double sum = 0;
            int inWindow = 0;
            for (int epoch = 0; epoch < epochs; epoch++) {
                loader.load(order.permutation(train.size(), epoch));
                double epochSum = 0;
                int epochSteps = 0;
                Iterator<Batch> it = loader.batches(batch);
                while (it.hasNext()) {
                    step++;
                    hooks.beforeStep(step);
                    double loss;
                    try (Batch b = it.next(); StepResult r = model.trainStep(b.features(), b.labels())) {
                        loss = r.loss().item();
                    }
                    hooks.afterStep(step, loss);
                    if (!Double.isFinite(loss)) {
                        return new Outcome(costs, step, lastEpochCost, step);
                    }
                    epochSum += loss;
                    epochSteps++;
                    sum += loss;
                    inWindow++;
                    if (inWindow == window || !it.hasNext() && epoch == epochs - 1) {
                        costs.add(new double[] {step, sum / inWindow});
                        sum = 0;
                        inWindow = 0;
                    }
                }
                lastEpochCost = epochSum / epochSteps;
                hooks.afterEpoch(epoch, lastEpochCost);
            }
        }
        return new Outcome(costs, step, lastEpochCost, 0);
    }
}
