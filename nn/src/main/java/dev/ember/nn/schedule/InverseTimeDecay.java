package dev.ember.nn.schedule;

/**
 * {@code α = α0 / (1 + decayRate · ⌊epoch / interval⌋)}: with interval 1 the rate decays every epoch
 * ({@code α0/(1+decay·epoch)}); a larger interval applies the same decay at fixed epoch intervals
 * (deeplearning.ai's {@code schedule_lr_decay} with {@code time_interval}).
 */
public record InverseTimeDecay(double decayRate, int interval) implements LearningRateSchedule {
    public InverseTimeDecay {
        if (!(decayRate >= 0) || Double.isInfinite(decayRate)) {
            throw new IllegalArgumentException("inverseTimeDecay: decayRate must be >= 0, got " + decayRate);
        }
        if (interval <= 0) {
            throw new IllegalArgumentException("inverseTimeDecay: interval must be > 0, got " + interval);
        }
    }

    public InverseTimeDecay(double decayRate) {
        this(decayRate, 1);
    }

    @Override
    public double rate(double initial, int epoch) {
        return initial / (1 + decayRate * Math.floorDiv(epoch, interval));
    }
}
