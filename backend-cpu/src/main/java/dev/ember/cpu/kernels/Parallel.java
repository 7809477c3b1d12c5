package dev.ember.cpu.kernels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Splits work over the calling thread and {@code threads() - 1} helper threads ({@link Helpers}),
 * which spin briefly after each call so that back-to-back calls find them awake. Work below the
 * grain runs on the calling thread, so small tensors pay no scheduling cost; with one thread no
 * helper exists.
 */
public final class Parallel implements AutoCloseable {
    private final int threads;
    private final Helpers helpers;
    /** An idle {@link Fork} for {@link #forEachPart}; concurrent callers make their own. */
    private final AtomicReference<Fork> spareFork = new AtomicReference<>();
    /** An idle argument block for {@link #launch}; concurrent callers make their own. */
    private final AtomicReference<Args> spareArgs = new AtomicReference<>();

    /** How long a helper spins for more work before parking, unless told otherwise: 100 us. */
    public static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /** {@code threads} threads in all (the caller and {@code threads - 1} helpers), spinning {@link #DEFAULT_SPIN_NANOS}. */
    public Parallel(int threads) {
        this(threads, DEFAULT_SPIN_NANOS);
    }

    /** As {@link #Parallel(int)}, with helpers that spin {@code spinNanos} before parking. */
    public Parallel(int threads, long spinNanos) {
        if (threads < 1) {
            throw new IllegalArgumentException("Parallel: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.helpers = new Helpers(threads - 1, spinNanos);
    }

    public int threads() {
        return threads;
    }

    /** An empty argument block for the next {@link #launch}, which hands it back. */
    public Args args() {
        Args args = spareArgs.getAndSet(null);
        return args != null ? args : new Args();
    }

    /**
     * Runs {@code kernel} over {@code [0, n)} in at most {@link #threads()} chunks of at least
     * {@code grain} indices each, then clears {@code args} (from {@link #args()}) and keeps it for
     * the next launch. Allocates nothing in steady state.
     */
    public void launch(int n, int grain, Kernel kernel, Args args) {
        try {
            int chunks = (int) Math.min(threads, Math.max(1, (long) n / Math.max(1, grain)));
            if (chunks <= 1) {
                kernel.run(args, 0, n);
            } else {
                args.split(kernel, n, chunks);
                forEachPart(chunks, args);
            }
        } finally {
            args.clear();
            spareArgs.set(args);
        }
    }

    /**
     * Runs {@code body.accept(part)} for every {@code part} in {@code [0, parts)}. Parts are claimed
     * dynamically, one at a time, by the calling thread and by up to {@code threads() - 1} helpers
     * alike: the caller starts claiming at once, and keeps taking unstarted parts instead of waiting
     * for a helper that has not got a core (a loaded machine) or is still waking up; a helper that
     * comes after every part has been claimed finds nothing. So {@code parts} may exceed
     * {@link #threads()} to balance uneven parts or cores. The caller returns once every part has
     * finished. While another call holds the helpers (a concurrent caller, or a part that calls
     * back), the parts run in turn on the calling thread. Allocates nothing in steady state; an
     * exception from any part is rethrown after all parts have finished (the first one caught).
     */
    public void forEachPart(int parts, IntConsumer body) {
        if (parts > 1 && threads > 1) {
            Fork fork = spareFork.getAndSet(null);
            if (fork == null) {
                fork = new Fork();
            }
            fork.open(parts, body);
            boolean offered = helpers.offer(fork, parts - 1);   // if not, the caller runs every part
            try {
                fork.finish();
            } finally {
                if (offered) {
                    helpers.withdraw(fork);
                }
                spareFork.set(fork);
            }
            return;
        }
        Throwable first = null;
        for (int part = 0; part < parts; part++) {
            try {
                body.accept(part);
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
            }
        }
        rethrow(first);
    }

    /** Stops the helper threads; later calls run on the calling thread alone. */
    @Override
    public void close() {
        helpers.close();
    }

    static void rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
