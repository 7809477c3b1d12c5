package dev.ember.nn.train;

import java.util.Map;

/**
 * A logged value watched for improvement ({@link ModelCheckpoint}, {@link EarlyStopping}): the key,
 * whether lower is better, and the smallest change that counts. A key absent from an epoch's logs is
 * an error listing the keys there are (a misspelt key must not silently never improve).
 */
public final class Monitor {
    private final String owner;
    private final String key;
    private final boolean lowerIsBetter;
    private final double minDelta;
    private double best;

    Monitor(String owner, String key, Mode mode, double minDelta) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException(owner + ": monitor key must not be empty");
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException(owner + ": minDelta must be >= 0 and finite, got " + minDelta);
        }
        this.owner = owner;
        this.key = key;
        this.lowerIsBetter = switch (mode) {
            case MIN -> true;
            case MAX -> false;
            case AUTO -> !(key.endsWith("accuracy"));   // losses fall, accuracies rise
        };
        this.minDelta = minDelta;
        reset();
    }

    /** Which direction is better: {@code AUTO} takes keys ending in {@code accuracy} as higher-is-better. */
    public enum Mode { AUTO, MIN, MAX }

    void reset() {
        best = lowerIsBetter ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Whether this epoch's value beats the best by more than minDelta; if so it becomes the best. */
    boolean improved(Map<String, Double> logs) {
        Double v = logs.get(key);
        if (v == null) {
            throw new IllegalArgumentException(owner + ": the logs have no '" + key + "'; they have "
                    + String.join(", ", logs.keySet()) + " (val_* keys need validation data in fit)");
        }
        boolean better = lowerIsBetter ? v < best - minDelta : v > best + minDelta;
        if (better) {
            best = v;
        }
        return better;
    }

    double best() {
        return best;
    }

    String key() {
        return key;
    }
}
