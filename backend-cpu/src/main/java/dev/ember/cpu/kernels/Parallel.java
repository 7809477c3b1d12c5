package dev.ember.cpu.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

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
        if (chunks <= 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            body.run(0, n);
            return;
        }
        pool.invoke(new Chunk(body, n, chunks, 0, chunks));
    }

    /**
     * Runs {@code body.accept(part)} for {@code part} in {@code [0, parts)}, {@code parts <=}
     * {@link #threads()}: the calling thread takes part 0 while pool threads take the rest, so the
     * caller's work overlaps the workers' wake-up (tens of microseconds on a virtual machine).
     * Inside the pool, or with one part, the parts run in turn on the calling thread.
     */
    public void forEachPart(int parts, java.util.function.IntConsumer body) {
        if (parts <= 1 || java.util.concurrent.ForkJoinTask.getPool() == pool) {
            for (int part = 0; part < parts; part++) {
                body.accept(part);
            }
            return;
        }
        java.util.concurrent.ForkJoinTask<?>[] others = new java.util.concurrent.ForkJoinTask<?>[parts - 1];
        for (int part = 1; part < parts; part++) {
            int p = part;
            others[part - 1] = pool.submit(() -> body.accept(p));
        }
        try {
            body.accept(0);
        } finally {
            for (java.util.concurrent.ForkJoinTask<?> task : others) {
                task.join();
            }
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
