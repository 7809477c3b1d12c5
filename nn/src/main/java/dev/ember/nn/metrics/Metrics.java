package dev.ember.nn.metrics;

/** The standard metrics. */
public final class Metrics {
    private Metrics() {
    }

    public static Metric binaryAccuracy() {
        return new BinaryAccuracy();
    }

    public static Metric categoricalAccuracy() {
        return new CategoricalAccuracy();
    }
}
