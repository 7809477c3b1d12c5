package dev.ember.nn.optim;

/** Construction-time checks that name the offending parameter. */
final class Check {
    private Check() {
    }

    static double learningRate(String optimizer, double lr) {
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(optimizer + ": learningRate must be > 0, got " + lr);
        }
        return lr;
    }

    static double beta(String optimizer, String name, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be in [0, 1), got " + beta);
        }
        return beta;
    }

    static double positive(String optimizer, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be > 0, got " + value);
        }
        return value;
    }
}
