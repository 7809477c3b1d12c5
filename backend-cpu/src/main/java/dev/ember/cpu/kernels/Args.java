package dev.ember.cpu.kernels;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The arguments of one {@link Kernel} launch, by position: {@code put} appends the next one, and
 * the body reads argument {@code i} with the accessor of its type. A block is borrowed from
 * {@link Parallel#args()} and handed back by {@link Parallel#launch}, which clears it, so
 * launches in steady state allocate nothing and no block keeps a caller's arrays alive. Fields
 * written before the launch are published to the helper threads by the launch itself.
 */
public final class Args implements IntConsumer {
    /** The most arguments a kernel takes (Adam's update has 16). */
    static final int CAPACITY = 16;

    private final Object[] refs = new Object[CAPACITY];
    private final long[] integers = new long[CAPACITY];
    private final double[] reals = new double[CAPACITY];
    private int count;

    // the launch in progress, read by accept() on every thread that runs a part of it
    private Kernel kernel;
    private int length;
    private int chunks;

    Args() {
    }

    /** Appends an array, enum or other object argument. */
    public Args put(Object value) {
        refs[next()] = value;
        return this;
    }

    /** Appends an integer argument. */
    public Args put(int value) {
        integers[next()] = value;
        return this;
    }

    /** Appends a long argument (without this overload a long would widen to {@link #put(double)}). */
    public Args put(long value) {
        integers[next()] = value;
        return this;
    }

    /** Appends a flag. */
    public Args put(boolean value) {
        integers[next()] = value ? 1 : 0;
        return this;
    }

    /** Appends a real argument; a float widens exactly and reads back exactly with {@link #f}. */
    public Args put(double value) {
        reals[next()] = value;
        return this;
    }

    /** Argument {@code i}, an object of the type the body expects (an array, an enum...). */
    @SuppressWarnings("unchecked")
    public <T> T ref(int i) {
        return (T) refs[i];
    }

    public int i(int i) {
        return (int) integers[i];
    }

    public long l(int i) {
        return integers[i];
    }

    public boolean flag(int i) {
        return integers[i] != 0;
    }

    public double d(int i) {
        return reals[i];
    }

    public float f(int i) {
        return (float) reals[i];
    }

    private int next() {
        if (count == CAPACITY) {
            throw new IllegalStateException("Args: a kernel takes at most " + CAPACITY + " arguments");
        }
        return count++;
    }

    /** Prepares a launch of {@code kernel} over {@code [0, length)} in {@code chunks} equal chunks. */
    void split(Kernel kernel, int length, int chunks) {
        this.kernel = kernel;
        this.length = length;
        this.chunks = chunks;
    }

    /** Runs chunk {@code chunk} of the launch (the part body given to {@link Parallel#forEachPart}). */
    @Override
    public void accept(int chunk) {
        kernel.run(this, (int) ((long) length * chunk / chunks), (int) ((long) length * (chunk + 1) / chunks));
    }

    /** Forgets every argument, so that a block kept for reuse holds no caller's array. */
    void clear() {
        Arrays.fill(refs, 0, count, null);
        count = 0;
        kernel = null;
    }
}
