package dev.ember.core;

/**
 * A host scalar that a traced function reads again at every replay instead of freezing it at trace
 * time: a learning rate, an optimiser's step count, a dropout layer's random stream. Operations that
 * take one ({@link Updates}, {@link Tensor#random(dev.ember.core.spi.Backend, DType,
 * dev.ember.core.spi.Distribution, double, double, long, LiveScalar, int...)}) read {@link #value()}
 * when their kernel is issued, eagerly or in a replay. Advance it in a {@link Tracing#everyCall}
 * block so that replays advance it too. Not thread-safe: one per traced function and thread.
 *
 * <p><b>Threads.</b> Confined to the thread that runs the traced function that reads it.
 */
public final class LiveScalar {
    private long whole;
    private double value;

    private LiveScalar(double value) {
        set(value);
    }

    public static LiveScalar of(double value) {
        return new LiveScalar(value);
    }

    public static LiveScalar of(long value) {
        LiveScalar s = new LiveScalar(0);
        s.set(value);
        return s;
    }

    /** Sets a real value (read back exactly by {@link #value()}). */
    public void set(double v) {
        this.value = v;
        this.whole = (long) v;
    }

    /** Sets a whole value (read back exactly by {@link #longValue()}, even beyond 2^53). */
    public void set(long v) {
        this.whole = v;
        this.value = v;
    }

    public double value() {
        return value;
    }

    public long longValue() {
        return whole;
    }

    @Override
    public String toString() {
        return whole == value ? Long.toString(whole) : Double.toString(value);
    }
}
