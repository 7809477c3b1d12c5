package dev.ember.nn.train;

import dev.ember.nn.model.Model;

import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model during {@code fit}: after every epoch ({@link #last}), or only when a logged value
 * improves ({@link #best}, Keras's {@code save_best_only}). Each save replaces the file atomically
 * ({@link Model#save}), so the file is always a whole checkpoint, and it records the epoch, so
 * training can resume from it.
 */
public final class ModelCheckpoint implements Callback {
    private final Path path;
    private final Monitor monitor;
    private Model model;
    private int saves;

    private ModelCheckpoint(Path path, Monitor monitor) {
        if (path == null) {
            throw new IllegalArgumentException("modelCheckpoint: path must not be null");
        }
        this.path = path;
        this.monitor = monitor;
    }

    /** Saves after every epoch, replacing the previous checkpoint. */
    public static ModelCheckpoint last(Path path) {
        return new ModelCheckpoint(path, null);
    }

    /**
     * Saves when {@code key} ({@code val_loss}, {@code val_accuracy}, ...; see {@link History}) improves on
     * its best so far: lower for losses, higher for keys ending in {@code accuracy}.
     */
    public static ModelCheckpoint best(Path path, String key) {
        return best(path, key, Monitor.Mode.AUTO);
    }

    public static ModelCheckpoint best(Path path, String key, Monitor.Mode mode) {
        return new ModelCheckpoint(path, new Monitor("modelCheckpoint", key, mode, 0));
    }

    @Override
    public void setModel(Model m) {
        this.model = m;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch) {
        if (monitor != null) {
            monitor.reset();
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        if (monitor == null || monitor.improved(logs)) {
            model.save(path);
            saves++;
        }
    }

    /** How many times it saved. */
    public int saves() {
        return saves;
    }

    /** The best monitored value so far (NaN when saving every epoch). */
    public double best() {
        return monitor == null ? Double.NaN : monitor.best();
    }
}
