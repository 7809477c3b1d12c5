package dev.ember.cpu.kernels;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Splits index ranges over the backend's fork-join pool. Work below the grain runs on the calling
 * thread, so small tensors pay no scheduling cost.
 */
public final class Parallel {
    /** A body that processes indices {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int threads;
    /** An idle {@link Fork} for {@link #forEachPart}; concurrent callers make their own. */
    private final AtomicReference<Fork> spareFork = new AtomicReference<>();

    public Parallel(ForkJoinPool pool, int threads) {
        this.pool = pool;
        this.threads = threads;
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in at most {@link #threads()} chunks of at least
     * {@code grain} indices each.
     */
    public void forRange(int n, int grain, Range body) {
        int chunks = (int) Math.min(threads, Math.max(1, (long) n / Math.max(1, grain)));
        if (chunks <= 1 || ForkJoinTask.getPool() == pool) {
            body.run(0, n);
            return;
        }
        pool.invoke(new Chunk(body, n, chunks, 0, chunks));
    }

    /**
     * Runs {@code body.accept(part)} for every {@code part} in {@code [0, parts)}. Parts are claimed
     * dynamically, one at a time, by the calling thread and by up to {@code threads() - 1} pool
     * threads alike: the caller starts claiming at once while the workers wake up, and keeps taking
     * unstarted parts instead of waiting for a worker that has not got a core (a loaded machine); a
     * worker that starts after every part has been claimed finds nothing and returns. So
     * {@code parts} may exceed {@link #threads()} to balance uneven parts or cores. The caller
     * returns once every part has finished, without waiting for late workers. Inside the pool, or
     * with one part, the parts run in turn on the calling thread. Allocates nothing in steady state
     * (the pool tasks are reused once finished); an exception from any part is rethrown after all
     * parts have finished (the first one caught).
     */
    public void forEachPart(int parts, IntConsumer body) {
        if (parts <= 1 || threads <= 1 || ForkJoinTask.getPool() == pool) {
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
            return;
        }
        Fork fork = spareFork.getAndSet(null);
        if (fork == null) {
            fork = new Fork();
        }
        try {
            fork.run(pool, Math.min(parts - 1, threads - 1), parts, body);
        } finally {
            spareFork.set(fork);
        }
    }

    private static void rethrow(Throwable t) {
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

    /**
     * The state of {@link #forEachPart} calls, held by one caller at a time and kept for the next.
     * Parts are claimed through {@link #claim}: the call's epoch in the high 32 bits and the number
     * of unclaimed parts in the low 32. A pool task is armed with the epoch of the call that
     * submitted it and claims only while the word still carries that epoch, so a task that starts
     * after its call has returned (even after the next call has begun) sees a different epoch, or no
     * parts left, and returns without touching the call's state; a claim succeeds only while its
     * part is unfinished, so the call (and its {@code body}, {@code parts}) cannot change under a
     * task that holds one. Tasks are re-armed ({@link ForkJoinTask#reinitialize}) only once their
     * previous run has completed; while a late one is still queued, a spare (grown once, then kept)
     * takes its place. The caller waits on {@link #unfinished} (spinning briefly, then parking)
     * rather than {@link ForkJoinTask#join}, which allocates a wait node whenever it blocks.
     */
    private static final class Fork {
        /** How long the caller spins for the last parts before parking: about a worker's wake-up. */
        private static final long SPIN_NANOS = 50_000;
        private static final long UNCLAIMED = 0xFFFF_FFFFL;

        private final AtomicLong claim = new AtomicLong();
        private final AtomicInteger unfinished = new AtomicInteger();
        private Part[] tasks = new Part[0];
        /** The epoch of the current call (only the holding caller writes it). */
        private int epoch;
        private int parts;
        private IntConsumer body;
        private volatile Thread caller;
        private volatile Throwable failure;

        void run(ForkJoinPool pool, int helpers, int parts, IntConsumer body) {
            this.parts = parts;
            this.body = body;
            this.caller = Thread.currentThread();
            this.failure = null;
            unfinished.set(parts);
            int epoch = ++this.epoch;
            claim.set((long) epoch << 32 | parts);   // publishes the fields above to claiming tasks
            int armed = 0;
            for (int i = 0; i < tasks.length && armed < helpers; i++) {
                Part task = tasks[i];
                if (task.idle()) {
                    task.arm(epoch);
                    pool.execute(task);
                    armed++;
                }
            }
            if (armed < helpers) {
                int grownFrom = tasks.length;
                tasks = Arrays.copyOf(tasks, grownFrom + helpers - armed);
                for (int i = grownFrom; i < tasks.length; i++) {
                    Part task = tasks[i] = new Part(this);
                    task.arm(epoch);
                    pool.execute(task);
                }
            }
            Throwable first = work(epoch);
            awaitParts();
            this.body = null;
            this.caller = null;
            Throwable t = first != null ? first : failure;
            failure = null;
            rethrow(t);
        }

        /**
         * Claims and runs parts of call {@code epoch} until none is left; returns the first failure
         * of those parts (also recorded in {@link #failure} for the caller when run by a pool task).
         */
        Throwable work(int epoch) {
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
            while (unfinished.get() != 0) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }

    /** A pool task of a {@link Fork}: claims parts of the call it was armed for, then returns. */
    private static final class Part extends RecursiveAction {
        private final Fork fork;
        /** Written by the holding caller before {@link ForkJoinPool#execute}, read by the task. */
        private int epoch;
        /** Whether the task has ever been submitted (only the holding caller reads and writes it). */
        private boolean submitted;

        Part(Fork fork) {
            this.fork = fork;
        }

        /** Whether the task may be re-armed: never submitted, or its last run has completed. */
        boolean idle() {
            return !submitted || isDone();
        }

        void arm(int epoch) {
            if (submitted) {
                reinitialize();
            }
            submitted = true;
            this.epoch = epoch;
        }

        @Override
        protected void compute() {
            fork.work(epoch);
        }
    }

    private static final class Chunk extends RecursiveAction {
        private final Range body;
        private final int n;
        private final int chunks;
        private final int first;
        private final int last;

        Chunk(Range body, int n, int chunks, int first, int last) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
            this.first = first;
            this.last = last;
        }

        @Override
        protected void compute() {
            if (last - first == 1) {
                body.run((int) ((long) n * first / chunks), (int) ((long) n * last / chunks));
                return;
            }
            int mid = (first + last) >>> 1;
            invokeAll(new Chunk(body, n, chunks, first, mid), new Chunk(body, n, chunks, mid, last));
        }
    }
}
