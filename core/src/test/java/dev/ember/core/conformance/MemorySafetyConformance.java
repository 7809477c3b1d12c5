package dev.ember.core.conformance;

import dev.ember.core.BackendStatus;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.MemoryLimit;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Memory safety under concurrency and exhaustion: closing is atomic (a buffer is freed exactly once,
 * never while a view holds it), and running out of memory is an {@link OutOfDeviceMemoryException}
 * that leaves the backend usable, after tensors leaked without close have been collected. Each test
 * runs on a fresh instance from the provider, so no other test's leaks move its counts, and exhaustion
 * uses the {@link MemoryLimit} option, so it costs a few MiB.
 */
public interface MemorySafetyConformance extends ConformanceBase {
    int ROUNDS = 300;
    int TENSORS_PER_ROUND = 48;
    int CLOSERS = 2;

    private Backend freshInstance(Map<String, String> options) {
        BackendStatus status = Backends.statuses().stream().filter(s -> s.name().equals(backendName())).findFirst()
                .orElseThrow();
        return status.provider().create(options);
    }

    /** One racing thread's part of a round. */
    interface RacingBody {
        void run(int round, int thread);
    }

    /**
     * Runs {@code body(round, thread)} on {@link #CLOSERS} threads at once, round after round, between
     * {@code prepare(round)} and {@code check(round)} on this thread: every thread spins until the round
     * is published, so their calls collide.
     */
    private static void race(int rounds, IntConsumer prepare, RacingBody body, IntConsumer check) throws Exception {
        AtomicInteger published = new AtomicInteger(-1);
        AtomicInteger finished = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < CLOSERS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    while (published.get() < r) {
                        Thread.onSpinWait();
                        if (failure.get() != null) {
                            return;
                        }
                    }
                    try {
                        body.run(r, thread);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                    finished.incrementAndGet();
                }
            }));
        }
        try {
            for (int r = 0; r < rounds && failure.get() == null; r++) {
                prepare.accept(r);
                published.set(r);
                while (finished.get() < (r + 1) * CLOSERS && failure.get() == null) {
                    Thread.yield();
                }
                if (failure.get() == null) {
                    check.accept(r);
                }
            }
        } finally {
            published.set(Integer.MAX_VALUE);
            for (Thread t : threads) {
                t.join();
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a racing thread failed", failure.get());
        }
    }

    /**
     * Several threads close the same tensors at once while a view of each stays open: exactly one close
     * per tensor releases its hold, so every buffer stays live and readable through its view, and
     * closing the views frees each buffer once.
     */
    @Test
    default void concurrentClosesOfOneTensorReleaseItsHoldOnce() throws Exception {
        Backend be = freshInstance(Map.of());
        try {
            Tensor[] bases = new Tensor[TENSORS_PER_ROUND];
            Tensor[] views = new Tensor[TENSORS_PER_ROUND];
            race(ROUNDS, r -> {
                for (int i = 0; i < TENSORS_PER_ROUND; i++) {
                    bases[i] = Tensor.of(be, DType.F32, new double[] {i, r, 1, 2}, 2, 2);
                    views[i] = bases[i].transpose();
                }
            }, (r, thread) -> {
                for (Tensor t : bases) {
                    t.close();
                }
            }, r -> {
                assertThat(be.memory().liveBuffers()).as("round %d: every buffer is still held by its view", r)
                        .isEqualTo(TENSORS_PER_ROUND);
                for (int i = 0; i < TENSORS_PER_ROUND; i += 7) {
                    Host.assertExact("round " + r + ": the view reads its buffer", new double[] {i, 1, r, 2},
                            values(views[i]));
                }
                for (Tensor v : views) {
                    v.close();
                }
                assertThat(be.memory().liveBuffers()).as("round %d: closing the views freed each buffer once", r)
                        .isZero();
            });
            assertThat(be.memory().liveBytes()).isZero();
            assertThat(be.memory().reclaimedByCleaner()).as("nothing was left for the Cleaner").isZero();
        } finally {
            be.close();
        }
    }

    /**
     * Threads make views of a tensor while another closes it: each view is either made, and then holds
     * the buffer, or refused with an {@link IllegalStateException}; never a view of a freed buffer.
     */
    @Test
    default void viewsRacingTheLastCloseNeverOutliveTheBuffer() throws Exception {
        Backend be = freshInstance(Map.of());
        try {
            Tensor[] bases = new Tensor[TENSORS_PER_ROUND];
            List<Tensor> made = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicInteger refused = new AtomicInteger();
            race(ROUNDS / 3, r -> {
                for (int i = 0; i < TENSORS_PER_ROUND; i++) {
                    bases[i] = Tensor.of(be, DType.F64, new double[] {i, r}, 2);
                }
            }, (r, thread) -> {
                boolean closer = thread == 0;
                for (Tensor t : bases) {
                    if (closer) {
                        t.close();
                    } else {
                        try {
                            made.add(t.reshape(1, 2));
                        } catch (IllegalStateException e) {
                            refused.incrementAndGet();
                        }
                    }
                }
            }, r -> {
                for (Tensor t : bases) {
                    t.close();
                }
                synchronized (made) {
                    assertThat(be.memory().liveBuffers()).as("round %d: a buffer per distinct base with open views", r)
                            .isEqualTo(made.stream().map(v -> (int) values(v)[0]).distinct().count());
                    for (Tensor v : made) {
                        assertThat(values(v)[1]).as("round %d: the view reads its round", r).isEqualTo(r);
                        v.close();
                    }
                    made.clear();
                }
                assertThat(be.memory().liveBuffers()).isZero();
            });
            assertThat(be.memory().liveBytes()).isZero();
        } finally {
            be.close();
        }
    }

    /** A request over the memory limit fails with how much was asked and how much is free, and the backend goes on. */
    @Test
    default void allocationBeyondTheLimitIsAClearExceptionAndTheBackendStaysUsable() {
        Backend be = freshInstance(Map.of(MemoryLimit.OPTION, String.valueOf(1 << 20)));
        try (Tensor held = Tensor.zeros(be, DType.F32, 1000)) {
            assertThatThrownBy(() -> Tensor.zeros(be, DType.F32, 300_000))
                    .isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("allocate: " + backendName() + " is out of memory")
                    .hasMessageContaining("asked for 1200000 bytes")
                    .hasMessageContaining((1048576 - 4000) + " bytes")
                    .hasMessageContaining("memoryLimit")
                    .satisfies(e -> {
                        OutOfDeviceMemoryException o = (OutOfDeviceMemoryException) e;
                        assertThat(o.requestedBytes()).isEqualTo(1_200_000);
                        assertThat(o.availableBytes()).isEqualTo(1048576 - 4000);
                        assertThat(o.backend()).isEqualTo(backendName());
                    });
            assertThat(be.memory().liveBuffers()).as("the refused request left nothing behind").isEqualTo(1);
            try (Tensor a = Tensor.of(be, DType.F32, new double[] {1, 2, 3, 4}, 2, 2); Tensor b = a.matmul(a)) {
                Host.assertExact("the backend still computes", new double[] {7, 10, 15, 22}, values(b));
            }
            assertThat(held.isClosed()).isFalse();
        } finally {
            be.close();
        }
    }

    /**
     * Tensors dropped without close still count against the limit until collected; an allocation that
     * needs their memory collects them and succeeds instead of failing.
     */
    @Test
    default void anAllocationThatNeedsLeakedMemoryCollectsItAndSucceeds() throws Exception {
        Backend be = freshInstance(Map.of(MemoryLimit.OPTION, String.valueOf(1 << 20)));
        try {
            Thread leaker = Thread.ofPlatform().start(() -> {   // no scope on this thread: nobody closes these
                for (int i = 0; i < 2; i++) {
                    Tensor.zeros(be, DType.F32, 100_000);
                }
            });
            leaker.join();
            assertThat(be.memory().liveBytes()).as("the leaked tensors still hold their buffers")
                    .isLessThanOrEqualTo(800_000);
            try (Tensor big = Tensor.zeros(be, DType.F32, 200_000)) {
                assertThat(big.size()).isEqualTo(200_000);
                assertThat(be.memory().reclaimedByCleaner()).as("the leaked buffers were reclaimed").isEqualTo(2);
                assertThat(be.memory().liveBytes()).isEqualTo(800_000);
            }
            assertThat(be.memory().liveBuffers()).isZero();
        } finally {
            be.close();
        }
    }
}
