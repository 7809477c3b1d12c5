package dev.ember.nn.train;

import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.model.Model;

import java.util.List;
import java.util.Map;

/**
 * Stops {@code fit} when a logged value ({@code val_loss} by default) has not improved by more than
 * {@code minDelta} for {@code patience} epochs in a row; with {@link #restoreBestWeights} the model
 * ends with the weights (and batch-norm statistics) of its best epoch, as Keras's
 * {@code restore_best_weights}. The best weights are copied to the host, once per improvement.
 */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final int patience;
    private boolean restoreBest;
    private Model model;
    private int wait;
    private boolean stop;
    private int bestEpoch = -1;
    private int stoppedEpoch = -1;
    private double[][] bestWeights;

    /** Watches {@code key} (see {@link History} for the names) with {@code patience} epochs and {@code minDelta}. */
    public EarlyStopping(String key, int patience, double minDelta) {
        this(key, patience, minDelta, Monitor.Mode.AUTO);
    }

    public EarlyStopping(String key, int patience, double minDelta, Monitor.Mode mode) {
        if (patience < 0) {
            throw new IllegalArgumentException("earlyStopping: patience must be >= 0, got " + patience);
        }
        this.monitor = new Monitor("earlyStopping", key, mode, minDelta);
        this.patience = patience;
    }

    /** {@code val_loss}, the given patience, min-delta 0. */
    public EarlyStopping(int patience) {
        this("val_loss", patience, 0);
    }

    /** Ends training with the best epoch's weights rather than the last's. */
    public EarlyStopping restoreBestWeights(boolean on) {
        this.restoreBest = on;
        return this;
    }

    @Override
    public void setModel(Model m) {
        this.model = m;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch) {
        monitor.reset();
        wait = 0;
        stop = false;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (monitor.improved(logs)) {
            wait = 0;
            bestEpoch = epoch;
            if (restoreBest) {
                List<Variable> vars = model.variables();
                bestWeights = new double[vars.size()][];
                for (int i = 0; i < bestWeights.length; i++) {
                    bestWeights[i] = vars.get(i).value().toDoubleArray();
                }
            }
        } else if (++wait > patience) {
            stop = true;
            stoppedEpoch = epoch;
        }
    }

    @Override
    public boolean stopTraining() {
        return stop;
    }

    @Override
    public void onTrainEnd(History history) {
        if (restoreBest && bestWeights != null) {
            List<Variable> vars = model.variables();
            for (int i = 0; i < bestWeights.length; i++) {
                vars.get(i).assign(bestWeights[i]);
            }
        }
    }

    /** The epoch with the best value, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The epoch after which training stopped, or -1 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    public double best() {
        return monitor.best();
    }
}
