package dev.ember.nn.schedule;

/**
 * Linear warm-up, then cosine decay: for the first {@code warmupEpochs} epochs the rate climbs
 * linearly, {@code α0 (e+1)/warmup}, reaching {@code α0} at the last warm-up epoch; over the next
 * {@code decayEpochs} it falls along half a cosine from {@code α0} to {@code α0 · floor}, and stays
 * there after. {@code warmupEpochs} may be 0.
 *
 * @param warmupEpochs epochs of linear warm-up, {@code >= 0}
 * @param decayEpochs  epochs of the cosine, {@code >= 1}
 * @param floor        the final rate as a fraction of the initial one, in {@code [0, 1]}
 */
public record CosineDecay(int warmupEpochs, int decayEpochs, double floor) implements LearningRateSchedule {
    public CosineDecay {
        if (warmupEpochs < 0) {
            throw new IllegalArgumentException("cosineDecay: warmupEpochs must be >= 0, got " + warmupEpochs);
        }
        if (decayEpochs < 1) {
            throw new IllegalArgumentException("cosineDecay: decayEpochs must be >= 1, got " + decayEpochs);
        }
        if (!(floor >= 0 && floor <= 1)) {
            throw new IllegalArgumentException("cosineDecay: floor must be in [0, 1], got " + floor);
        }
    }

    /** Cosine decay to zero over {@code decayEpochs}, without warm-up. */
    public CosineDecay(int decayEpochs) {
        this(0, decayEpochs, 0);
    }

    @Override
    public double rate(double initial, int epoch) {
        if (epoch < warmupEpochs) {
            return initial * (epoch + 1) / warmupEpochs;
        }
        int into = Math.min(epoch - warmupEpochs, decayEpochs);
        double cosine = 0.5 * (1 + Math.cos(Math.PI * into / decayEpochs));
        return initial * (floor + (1 - floor) * cosine);
    }
}
