package dev.ember.nn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-epoch values recorded by {@code fit}. The keys: {@code loss} (the mean training loss, L2 term
 * included), one per metric under the metric's name ({@code accuracy} for both
 * {@code Metrics.binaryAccuracy()} and {@code Metrics.categoricalAccuracy()}), the same with a
 * {@code val_} prefix when {@code fit} has validation data ({@code val_loss}, {@code val_accuracy}),
 * and {@code lr} (the epoch's learning rate). Asking for a key it does not have is an error that
 * lists the keys it has, so a misspelt key fails instead of reading as NaN. Written by the training
 * thread; read it after {@code fit} returns.
 */
public final class History {
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private int epochs;
    private int traces;

    void record(Map<String, Double> logs) {
        logs.forEach((k, v) -> series.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        epochs++;
    }

    /** The values of one key, one per epoch; an unknown key is an error listing the keys there are. */
    public List<Double> get(String key) {
        return Collections.unmodifiableList(series(key));
    }

    /** The last epoch's value of {@code key}; an unknown key is an error listing the keys there are. */
    public double last(String key) {
        List<Double> v = series(key);
        return v.get(v.size() - 1);
    }

    /** Whether {@code fit} logged {@code key}. */
    public boolean has(String key) {
        return series.containsKey(key);
    }

    private List<Double> series(String key) {
        List<Double> v = series.get(key);
        if (v == null) {
            throw new IllegalArgumentException("history: no key '" + key + "'; it has "
                    + (series.isEmpty() ? "none (no epoch completed)" : String.join(", ", series.keySet()))
                    + " (metrics log under their name, e.g. 'accuracy'; validation ones with 'val_')");
        }
        return v;
    }

    public List<String> keys() {
        return List.copyOf(series.keySet());
    }

    void traces(int count) {
        this.traces = count;
    }

    /**
     * How many times {@code fit} traced its training step: once per batch shape (a last, smaller batch
     * is a second one), 0 when it trained eagerly. More means something retraced by accident.
     */
    public int traces() {
        return traces;
    }

    /** Number of epochs completed. */
    public int epochs() {
        return epochs;
    }

    @Override
    public String toString() {
        return "History" + series;
    }
}
