package dev.ember.cli.lab;

import dev.ember.nn.layers.Activation;

/**
 * Statistics of one layer's activations over a batch: their mean and standard deviation, and the
 * fraction of units that pass (almost) no gradient back — a local derivative under 1% of the
 * function's maximum: sigmoid outputs within about 0.0025 of 0 or 1, tanh outputs beyond ±0.995, and
 * ReLU outputs of exactly 0 (dead for that example).
 */
record ActivationStats(double mean, double std, double saturated) {
    /** Derivative below this fraction of its maximum counts as saturated. */
    static final double SATURATION = 0.01;

    static ActivationStats of(double[] a, Activation.Kind kind) {
        double sum = 0;
        for (double v : a) {
            sum += v;
        }
        double mean = sum / a.length;
        double sq = 0;
        int flat = 0;
        for (double v : a) {
            sq += (v - mean) * (v - mean);
            if (relativeDerivative(v, kind) < SATURATION) {
                flat++;
            }
        }
        return new ActivationStats(mean, Math.sqrt(sq / a.length), flat / (double) a.length);
    }

    /** The activation's derivative at the point whose output is {@code a}, over the derivative's maximum. */
    private static double relativeDerivative(double a, Activation.Kind kind) {
        return switch (kind) {
            case SIGMOID -> 4 * a * (1 - a);
            case TANH -> 1 - a * a;
            case RELU -> a > 0 ? 1 : 0;
            default -> throw new IllegalArgumentException("activation statistics: no saturation rule for " + kind);
        };
    }
}
