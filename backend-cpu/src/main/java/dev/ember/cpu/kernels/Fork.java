package dev.ember.cpu.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The state of {@link Parallel#forEachPart} calls, held by one caller at a time and kept for the
 * next. Parts are claimed through {@link #claim}: the call's epoch in the high 32 bits and the
 * number of unclaimed parts in the low 32. A helper reads the word and claims only while it still
 * carries the epoch it read, so a helper that arrives after its call has returned (even after the
 * next call has begun) sees a different epoch, or no parts left, and takes nothing it should not;
 * a claim succeeds only while its part is unfinished, so the call (and its {@code body},
 * {@code parts}) cannot change under a helper that holds one. The caller waits on
 * {@link #unfinished} (spinning briefly, then parking).
 */
final class Fork {
    /** How long the caller spins for the last parts before parking. */
    private static final long SPIN_NANOS = 50_000;
    private static final long UNCLAIMED = 0xFFFF_FFFFL;

    private final AtomicLong claim = new AtomicLong();
    private final AtomicInteger unfinished = new AtomicInteger();
    /** The epoch of the current call (only the holding caller writes it). */
    private int epoch;
    private int parts;
    private IntConsumer body;
    private volatile Thread caller;
    private volatile Throwable failure;

    /**
     * Opens a call of {@code parts} parts for helpers ({@link #help}); the caller then runs
     * {@link #finish}. Writes every field before the claim word, which publishes them.
     */
    void open(int parts, IntConsumer body) {
        this.parts = parts;
        this.body = body;
        this.caller = Thread.currentThread();
        this.failure = null;
        unfinished.set(parts);
        claim.set((long) ++epoch << 32 | parts);
    }

    /** Runs parts alongside the helpers until none is left, waits for the last ones, rethrows a failure. */
    void finish() {
        Throwable first = work(epoch);
        awaitParts();
        body = null;
        caller = null;
        Throwable t = first != null ? first : failure;
        failure = null;
        Parallel.rethrow(t);
    }

    /** Whether the open call has parts no thread has claimed yet. */
    boolean hasUnclaimed() {
        return (claim.get() & UNCLAIMED) != 0;
    }

    /** Run by a helper: claims and runs parts of whichever call is open until none is left. */
    void help() {
        work((int) (claim.get() >>> 32));
    }

    /**
     * Claims and runs parts of call {@code epoch} until none is left; returns the first failure
     * of those parts (also recorded in {@link #failure} for the caller when run by a helper).
     */
    private Throwable work(int epoch) {
        Throwable first = null;
        while (true) {
            long word = claim.get();
            int left = (int) (word & UNCLAIMED);
            if ((int) (word >>> 32) != epoch || left == 0) {
                return first;
            }
            if (!claim.compareAndSet(word, word - 1)) {
                continue;
            }
            // the claimed part is unfinished, so the call, its parts and its body stay as they are
            Thread waiting = caller;
            try {
                body.accept(parts - left);
            } catch (Throwable t) {
                if (first == null) {
                    first = t;
                }
                if (failure == null) {
                    failure = t;
                }
            }
            if (unfinished.decrementAndGet() == 0 && waiting != Thread.currentThread()) {
                LockSupport.unpark(waiting);
            }
        }
    }

    private void awaitParts() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        for (int spins = 1; unfinished.get() != 0; spins++) {
            if (System.nanoTime() < deadline) {
                Helpers.spinWait(spins);
            } else {
                LockSupport.park(this);
            }
        }
    }
}
