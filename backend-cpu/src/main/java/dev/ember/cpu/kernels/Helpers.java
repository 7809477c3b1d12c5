package dev.ember.cpu.kernels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The helper threads of one {@link Parallel}: daemon threads that take parts of the {@link Fork}
 * on offer. Waking a parked thread costs 50-100 us here, as much as a mid-sized GEMM takes, so a
 * helper that runs out of work spins ({@link Thread#onSpinWait}) for {@code spinNanos} before it
 * parks: the back-to-back kernel calls of a training step find it awake, as OpenBLAS's threads are.
 * The spin is bounded, so a caller that goes on alone for longer gets the core back. A helper idle
 * for {@link #KEEP_ALIVE_NANOS} exits (an unclosed backend leaks no thread for long); threads start
 * on the first offer and again after such an exit.
 */
final class Helpers {
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Helper[] helpers;
    private final long spinNanos;
    /** The fork whose parts helpers take, or null; one caller at a time holds it. */
    private final AtomicReference<Fork> offered = new AtomicReference<>();
    private volatile boolean closed;

    Helpers(int count, long spinNanos) {
        this.spinNanos = spinNanos;
        this.helpers = new Helper[count];
        for (int i = 0; i < count; i++) {
            helpers[i] = new Helper(i + 1);
        }
    }

    /**
     * Offers the open call of {@code fork} to up to {@code wanted} helpers, waking parked ones.
     * Returns false, offering nothing, when another call holds the helpers or they are closed: the
     * caller then runs its parts alone.
     */
    boolean offer(Fork fork, int wanted) {
        if (closed || !offered.compareAndSet(null, fork)) {
            return false;
        }
        for (int i = 0; i < helpers.length && i < wanted; i++) {
            helpers[i].call();
        }
        return true;
    }

    /** Ends the offer made by {@link #offer}; the caller's parts have all finished. */
    void withdraw(Fork fork) {
        offered.compareAndSet(fork, null);
    }

    void close() {
        closed = true;
        for (Helper helper : helpers) {
            helper.call();
        }
    }

    /**
     * One step of a spin: mostly {@link Thread#onSpinWait}, with a {@link Thread#yield} every few
     * microseconds so that a spinning thread sharing a core with the one it waits for (a machine
     * busier than its cores) lets it run.
     */
    static void spinWait(int spins) {
        if ((spins & 63) == 0) {
            Thread.yield();
        } else {
            Thread.onSpinWait();
        }
    }

    private boolean workOffered() {
        Fork fork = offered.get();
        return fork != null && fork.hasUnclaimed();
    }

    /** One helper slot: its thread (started on demand) and whether that thread is parked. */
    private final class Helper implements Runnable {
        private static final int STOPPED = 0, RUNNING = 1;

        private final String name;
        private final AtomicInteger state = new AtomicInteger(STOPPED);
        private volatile Thread thread;
        private volatile boolean parked;

        Helper(int index) {
            this.name = "ember-cpu-" + index;
        }

        /** Makes sure the helper sees the current offer: starts it, or unparks it. */
        void call() {
            if (state.get() == STOPPED) {
                if (!closed && state.compareAndSet(STOPPED, RUNNING)) {
                    Thread t = new Thread(this, name);
                    t.setDaemon(true);
                    thread = t;
                    t.start();
                }
            } else if (parked) {   // read after the offer was published: see run()
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            int spins = 0;
            while (!closed) {
                Fork fork = offered.get();
                if (fork != null && fork.hasUnclaimed()) {
                    fork.help();
                    idleSince = System.nanoTime();
                    continue;
                }
                long idle = System.nanoTime() - idleSince;
                if (idle < spinNanos) {
                    spinWait(++spins);
                    continue;
                }
                if (idle >= KEEP_ALIVE_NANOS) {
                    break;
                }
                // Publish "parked" before the last look for work; an offer published before that
                // look is seen by it, one published after it sees the flag and unparks this thread.
                parked = true;
                if (!workOffered() && !closed) {
                    LockSupport.parkNanos(this, KEEP_ALIVE_NANOS);
                }
                parked = false;
            }
            state.set(STOPPED);
        }
    }
}
