package dev.ember.nn.schedule;

/** {@code α = α0 · base^epoch} (e.g. base 0.95). */
public record ExponentialDecay(double base) implements LearningRateSchedule {
    public ExponentialDecay {
        if (!(base > 0 && base <= 1)) {
            throw new IllegalArgumentException("exponentialDecay: base must be in (0, 1], got " + base);
        }
    }

    @Override
    public double rate(double initial, int epoch) {
        return initial * Math.pow(base, epoch);
    }
}
