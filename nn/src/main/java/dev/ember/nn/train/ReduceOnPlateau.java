package dev.ember.nn.train;

import dev.ember.nn.model.Model;
import dev.ember.nn.optim.Optimizer;

import java.util.Map;

/**
 * Lowers the learning rate when a logged value ({@code val_loss} by default) has not improved by
 * more than {@code minDelta} for {@code patience} epochs in a row, as Keras's
 * {@code ReduceLROnPlateau}: the rate is multiplied by {@code factor}, never below {@code minRate},
 * and the count starts again. It works through {@link Optimizer#rateFactor}, so it composes with a
 * schedule (the scheduled rate is scaled) and a checkpoint keeps the reduction.
 */
public final class ReduceOnPlateau implements Callback {
    private final Monitor monitor;
    private final double factor;
    private final int patience;
    private final double minRate;
    private Model model;
    private int wait;
    private int reductions;

    /**
     * @param key      the logged value to watch (see {@link History} for the names)
     * @param factor   what the rate is multiplied by on a plateau, in {@code (0, 1)}
     * @param patience epochs without improvement before a reduction, {@code >= 1}
     * @param minDelta the smallest change that counts as an improvement, {@code >= 0}
     * @param minRate  the rate never goes below this, {@code >= 0}
     */
    public ReduceOnPlateau(String key, double factor, int patience, double minDelta, double minRate) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("reduceOnPlateau: factor must be in (0, 1), got " + factor);
        }
        if (patience < 1) {
            throw new IllegalArgumentException("reduceOnPlateau: patience must be >= 1, got " + patience);
        }
        if (!(minRate >= 0) || Double.isInfinite(minRate)) {
            throw new IllegalArgumentException("reduceOnPlateau: minRate must be >= 0 and finite, got " + minRate);
        }
        this.monitor = new Monitor("reduceOnPlateau", key, Monitor.Mode.AUTO, minDelta);
        this.factor = factor;
        this.patience = patience;
        this.minRate = minRate;
    }

    /** {@code val_loss}, halving after {@code patience} epochs without improvement, no floor. */
    public ReduceOnPlateau(int patience) {
        this("val_loss", 0.5, patience, 0, 0);
    }

    @Override
    public void setModel(Model m) {
        this.model = m;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch) {
        monitor.reset();
        wait = 0;
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (monitor.improved(logs)) {
            wait = 0;
        } else if (++wait >= patience) {
            wait = 0;
            reduce(model.optimizer());
        }
    }

    private void reduce(Optimizer optimizer) {
        double scheduled = optimizer.learningRate() / optimizer.rateFactor();
        double lowered = Math.max(optimizer.rateFactor() * factor, minRate / scheduled);
        if (lowered < optimizer.rateFactor()) {
            optimizer.rateFactor(lowered);
            reductions++;
        }
    }

    /** How many times the rate was lowered. */
    public int reductions() {
        return reductions;
    }
}
