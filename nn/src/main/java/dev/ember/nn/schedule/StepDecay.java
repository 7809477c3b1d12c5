package dev.ember.nn.schedule;

/** {@code α = α0 · factor^⌊epoch / every⌋}: drops by {@code factor} every {@code every} epochs. */
public record StepDecay(double factor, int every) implements LearningRateSchedule {
    public StepDecay {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("stepDecay: factor must be in (0, 1], got " + factor);
        }
        if (every <= 0) {
            throw new IllegalArgumentException("stepDecay: every must be > 0, got " + every);
        }
    }

    @Override
    public double rate(double initial, int epoch) {
        return initial * Math.pow(factor, Math.floorDiv(epoch, every));
    }
}
