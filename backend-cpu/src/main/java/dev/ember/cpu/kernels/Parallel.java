package dev.ember.cpu.kernels;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
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
     * Runs {@code body.accept(part)} for {@code part} in {@code [0, parts)}, {@code parts <=}
     * {@link #threads()}: the calling thread takes part 0 while pool threads take the rest, so the
     * caller's work overlaps the workers' wake-up (tens of microseconds on a virtual machine).
     * Inside the pool, or with one part, the parts run in turn on the calling thread. Allocates
     * nothing in steady state (the pool tasks are reused); an exception from any part is rethrown
     * after all parts have finished.
     */
    public void forEachPart(int parts, IntConsumer body) {
        if (parts <= 1 || ForkJoinTask.getPool() == pool) {
            for (int part = 0; part < parts; part++) {
                body.accept(part);
            }
            return;
        }
        Fork fork = spareFork.getAndSet(null);
        if (fork == null) {
            fork = new Fork();
        }
        try {
            fork.run(pool, parts, body);
        } finally {
            spareFork.set(fork);
        }
    }

    /**
     * The pool tasks of one {@link #forEachPart} call, kept for the next: each call re-arms them
     * ({@link ForkJoinTask#reinitialize}) instead of allocating, and the caller waits on a counter
     * (spinning briefly, then parking) rather than {@link ForkJoinTask#join}, which allocates a wait
     * node whenever it blocks. So a call in steady state allocates nothing.
     */
    private static final class Fork {
        /** How long the caller spins for the last parts before parking: about a worker's wake-up. */
        private static final long SPIN_NANOS = 50_000;

        private Part[] tasks = new Part[0];
        private IntConsumer body;
        private Thread caller;
        private final AtomicInteger pending = new AtomicInteger();
        private volatile Throwable failure;

        void run(ForkJoinPool pool, int parts, IntConsumer body) {
            if (tasks.length < parts - 1) {
                Part[] grown = Arrays.copyOf(tasks, parts - 1);
                for (int i = tasks.length; i < grown.length; i++) {
                    grown[i] = new Part(this, i + 1);
                }
                tasks = grown;
            }
            this.body = body;
            this.caller = Thread.currentThread();
            this.failure = null;
            pending.set(parts - 1);
            for (int i = 0; i < parts - 1; i++) {
                tasks[i].reinitialize();
                pool.execute(tasks[i]);
            }
            Throwable first = null;
            try {
                body.accept(0);
            } catch (Throwable t) {
                first = t;
            }
            awaitParts(parts - 1);
            this.body = null;
            this.caller = null;
            Throwable t = first != null ? first : failure;
            failure = null;
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

        private void awaitParts(int count) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (pending.get() != 0) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            // a part counts itself done just before its task completes: let the tasks finish, so
            // the next call can re-arm them
            for (int i = 0; i < count; i++) {
                while (!tasks[i].isDone()) {
                    Thread.onSpinWait();
                }
            }
        }

        void partDone(Throwable t) {
            if (t != null && failure == null) {
                failure = t;
            }
            if (pending.decrementAndGet() == 0) {
                LockSupport.unpark(caller);
            }
        }
    }

    /** Part {@code part} of a {@link Fork}, run by a pool thread. */
    private static final class Part extends RecursiveAction {
        private final Fork fork;
        private final int part;

        Part(Fork fork, int part) {
            this.fork = fork;
            this.part = part;
        }

        @Override
        protected void compute() {
            Throwable failure = null;
            try {
                fork.body.accept(part);
            } catch (Throwable t) {
                failure = t;
            }
            fork.partDone(failure);
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
