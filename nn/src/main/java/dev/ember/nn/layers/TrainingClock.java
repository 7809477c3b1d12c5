package dev.ember.nn.layers;

/**
 * Counts a model's training-mode forward passes. Layers that draw randomness per pass (dropout)
 * take their stream from the pass number, not from a counter of their own, so that the masks of pass
 * {@code n} depend only on the seed, the layer and {@code n}: a checkpoint records the count and a
 * resumed run draws the masks an uninterrupted one would have. {@code fit} makes one pass per step.
 *
 * <p>The model advances it inside {@code Tracing.everyCall}, so a traced step advances it at every
 * replay. Not thread-safe (training is single-threaded).
 */
public final class TrainingClock {
    private long passes;
    private long current = -1;

    /** Starts a training pass: the pass now running is number {@link #passes()} before the call. */
    public void tick() {
        current = passes++;
    }

    /** The number of the pass now running (0-based), or -1 before the first. */
    public long current() {
        return current;
    }

    /** Training passes started so far. */
    public long passes() {
        return passes;
    }

    /** Sets the count, as a checkpoint recorded it. */
    public void reset(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("trainingClock: count must be >= 0, got " + count);
        }
        passes = count;
        current = count - 1;
    }
}
