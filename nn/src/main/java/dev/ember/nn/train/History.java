package dev.ember.nn.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Per-epoch values recorded by {@code fit}: {@code loss}, metrics, {@code val_*} and {@code lr}. */
public final class History {
    private final Map<String, List<Double>> series = new LinkedHashMap<>();
    private int epochs;
    private int traces;

    void record(Map<String, Double> logs) {
        logs.forEach((k, v) -> series.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        epochs++;
    }

    /** The values of one key, one per epoch (empty if never logged). */
    public List<Double> get(String key) {
        return Collections.unmodifiableList(series.getOrDefault(key, List.of()));
    }

    /** The last epoch's value of {@code key}, or NaN. */
    public double last(String key) {
        List<Double> v = series.get(key);
        return v == null || v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
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
