package dev.ember.nn.train;

import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.Shuffler;

import java.util.ArrayList;
import java.util.List;

/**
 * How {@code fit} runs. Epochs and batch size are checked here, before any work starts.
 */
public final class FitOptions {
    /** What to do when the loss stops being finite. */
    public enum NonFinite { FAIL, WARN }

    private int epochs = 1;
    private int batchSize = 32;
    private Dataset validation;
    private final List<Callback> callbacks = new ArrayList<>();
    private Shuffler shuffler = Shuffler.seeded(0);
    private boolean progress = true;
    private NonFinite nonFinite = NonFinite.FAIL;
    private int checkEvery = 1;
    private boolean traced = true;
    private int initialEpoch;

    public static FitOptions defaults() {
        return new FitOptions();
    }

    public FitOptions epochs(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("fit: epochs must be > 0, got " + n);
        }
        this.epochs = n;
        return this;
    }

    public FitOptions batchSize(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("fit: batchSize must be > 0, got " + n);
        }
        this.batchSize = n;
        return this;
    }

    /** Full-batch gradient descent: one batch holding every example. */
    public FitOptions fullBatch() {
        this.batchSize = Integer.MAX_VALUE;
        return this;
    }

    public FitOptions validation(Dataset data) {
        this.validation = data;
        return this;
    }

    public FitOptions callbacks(Callback... cbs) {
        this.callbacks.addAll(List.of(cbs));
        return this;
    }

    /** Example order per epoch (default: seeded shuffle with seed 0; {@link Shuffler#none()} to keep the order). */
    public FitOptions shuffle(Shuffler s) {
        this.shuffler = s == null ? Shuffler.none() : s;
        return this;
    }

    /** Shows a console progress bar when stderr is a terminal (default true). */
    public FitOptions progress(boolean show) {
        this.progress = show;
        return this;
    }

    /** FAIL (default) stops with {@link NonFiniteLossException}; WARN logs and keeps going. */
    public FitOptions onNonFiniteLoss(NonFinite policy) {
        this.nonFinite = policy;
        return this;
    }

    /**
     * Checks the loss for NaN/infinity every {@code steps} steps (default 1: exact step in the message;
     * larger values avoid a device read-back per step on accelerators, and the message then names the
     * step where the non-finite value was first seen).
     */
    public FitOptions checkLossEvery(int steps) {
        if (steps <= 0) {
            throw new IllegalArgumentException("fit: checkLossEvery must be > 0, got " + steps);
        }
        this.checkEvery = steps;
        return this;
    }

    /**
     * Runs each training step as a traced function (default true): the step's backend calls are
     * recorded on the first batch of each shape and replayed for the next ones, fused and without
     * allocating; a model that cannot be traced ({@code Model.whyNotTraceable}) trains eagerly, and
     * says why in the log. Results are the same either way (bit for bit on the CPU).
     */
    public FitOptions traced(boolean on) {
        this.traced = on;
        return this;
    }

    /**
     * The epoch to start from (default 0), as Keras's {@code initial_epoch}: to resume a model restored
     * from a checkpoint, pass {@code model.epoch()} and the same {@code epochs} total, shuffle and batch
     * size; the data order, learning rate and dropout masks of each epoch then equal those of an
     * uninterrupted run.
     */
    public FitOptions initialEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("fit: initialEpoch must be >= 0, got " + epoch);
        }
        this.initialEpoch = epoch;
        return this;
    }

    public int initialEpoch() {
        return initialEpoch;
    }

    public boolean traced() {
        return traced;
    }

    public int checkLossEvery() {
        return checkEvery;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public Dataset validation() {
        return validation;
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    public Shuffler shuffler() {
        return shuffler;
    }

    public boolean progress() {
        return progress;
    }

    public NonFinite nonFinite() {
        return nonFinite;
    }
}
