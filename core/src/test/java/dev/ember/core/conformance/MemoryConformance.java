package dev.ember.core.conformance;

import dev.ember.core.BackendStatus;
import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicReference;

import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Buffers and their accounting ({@link Backend#allocate}, {@link Backend#free}, {@link Backend#memory},
 * {@link Backend#noteReclaimedByCleaner}, {@link Backend#read}/{@link Backend#write}), tensor ownership
 * through scopes and views, and the backend's identity and lifecycle.
 *
 * <p>Live counts can change under a test when the garbage collector reclaims a tensor some other test
 * leaked; such a measurement is repeated (the reclaim shows in {@link MemoryStats#reclaimedByCleaner()}).
 * The counts are per backend instance, so these tests assume the module does not run tests concurrently
 * against the same backend (JUnit's default).
 */
public interface MemoryConformance extends ConformanceBase {

    /** Runs {@code body} and returns the change in live buffers and bytes it caused, retrying if the Cleaner interfered. */
    private long[] liveDelta(Runnable body) {
        Backend be = backend();
        for (int attempt = 0; ; attempt++) {
            MemoryStats before = be.memory();
            body.run();
            MemoryStats after = be.memory();
            if (after.reclaimedByCleaner() == before.reclaimedByCleaner() || attempt == 4) {
                return new long[] {after.liveBuffers() - before.liveBuffers(), after.liveBytes() - before.liveBytes(),
                        after.totalAllocations() - before.totalAllocations()};
            }
        }
    }

    @Test
    default void scopeReturnsLiveBuffersAndBytesToTheStartingValue() {
        Backend be = backend();
        long[] delta = liveDelta(() -> {
            try (Scope s = Scope.open()) {
                for (DType dt : DType.values()) {
                    Tensor a = Host.tensor(be, dt, Host.uniform(dt, 1, 33 * 17, -1, 1), 33, 17);
                    Tensor b = Host.tensor(be, dt, Host.uniform(dt, 2, 17 * 5, -1, 1), 17, 5);
                    Tensor c = a.matmul(b).relu().add(Tensor.full(be, dt, 0.5, 1, 5));
                    c.sum(0).mean();
                    a.transpose().copy().reshape(17 * 33).slice(3, 9).exp();
                    Tensor.random(be, dt, dev.ember.core.spi.Distribution.NORMAL, 0, 1, 1, 2, 100);
                    assertThat(s.liveTensors()).isGreaterThan(5);
                }
                assertThat(be.memory().liveBuffers()).isGreaterThan(0);
            }
        });
        assertThat(delta[0]).as("live buffers after the scope closed").isZero();
        assertThat(delta[1]).as("live bytes after the scope closed").isZero();
        assertThat(delta[2]).as("allocations counted").isGreaterThan(10);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void allocationIsCountedInBuffersAndBytes(DType dt) {
        Backend be = backend();
        AtomicReference<Tensor> keep = new AtomicReference<>();
        long[] grow = liveDelta(() -> keep.set(Tensor.zeros(be, dt, 3, 5, 7)));
        assertThat(grow[0]).as("one more live buffer").isEqualTo(1);
        assertThat(grow[1]).as("live bytes of a 3x5x7 %s tensor", dt).isEqualTo(105L * dt.bytes());
        assertThat(grow[2]).as("one more allocation").isEqualTo(1);
        long[] shrink = liveDelta(() -> keep.get().close());
        assertThat(shrink[0]).isEqualTo(-1);
        assertThat(shrink[1]).isEqualTo(-105L * dt.bytes());
        assertThat(shrink[2]).isZero();
    }

    @Test
    default void viewsShareStorageAndTheLastCloseFrees() {
        Backend be = backend();
        AtomicReference<Tensor[]> views = new AtomicReference<>();
        double[] data = Host.uniform(DType.F64, 3, 6 * 4, -1, 1);
        long[] made = liveDelta(() -> {
            Tensor t = Host.tensor(be, DType.F64, data, 6, 4);
            views.set(new Tensor[] {t, t.transpose(), t.slice(1, 4), t.reshape(4, 6)});
        });
        assertThat(made[0]).as("views allocate nothing: one buffer for four tensors").isEqualTo(1);
        Tensor[] v = views.get();
        long[] closeBase = liveDelta(() -> v[0].close());
        assertThat(closeBase[0]).as("closing the base keeps the buffer for its views").isZero();
        assertThat(v[0].isClosed()).isTrue();
        assertThat(v[1].isClosed()).isFalse();
        double[] transposed = GemmConformance.transposed(data, 6, 4);
        Host.assertExact("a view outlives its base", transposed, values(v[1]));
        long[] closeTwo = liveDelta(() -> {
            v[1].close();
            v[2].close();
        });
        assertThat(closeTwo[0]).isZero();
        Host.assertExact("the last view still reads", data, values(v[3]).clone());
        long[] closeLast = liveDelta(() -> v[3].close());
        assertThat(closeLast[0]).as("closing the last view frees the buffer").isEqualTo(-1);
        assertThat(closeLast[1]).isEqualTo(-24L * 8);
    }

    @Test
    default void doubleCloseIsHarmless() {
        Backend be = backend();
        AtomicReference<Tensor[]> ts = new AtomicReference<>();
        liveDelta(() -> {
            Tensor t = Tensor.zeros(be, DType.F32, 10);
            ts.set(new Tensor[] {t, t.reshape(2, 5)});
        });
        Tensor t = ts.get()[0];
        Tensor view = ts.get()[1];
        long[] d = liveDelta(() -> {
            view.close();
            view.close();
            view.close();
        });
        assertThat(d[0]).as("closing a view three times must release the shared buffer once, not free it").isZero();
        assertThat(t.isClosed()).isFalse();
        assertThat(values(t)).hasSize(10);
        long[] d2 = liveDelta(() -> {
            t.close();
            t.close();
        });
        assertThat(d2[0]).isEqualTo(-1);
        assertThat(d2[1]).isEqualTo(-40);
        Scope scope = Scope.open();
        Tensor.zeros(be, DType.F64, 2);
        scope.close();
        scope.close(); // harmless
    }

    @Test
    default void keepMovesATensorToTheEnclosingScope() {
        Backend be = backend();
        long[] delta = liveDelta(() -> {
            Tensor kept;
            Tensor temp;
            try (Scope outer = Scope.open()) {
                try (Scope inner = Scope.open()) {
                    temp = Host.tensor(be, DType.F64, new double[] {1, 2, 3}, 3);
                    kept = inner.keep(temp.mul(2.0));
                    assertThatThrownBy(() -> inner.keep(kept))
                            .as("a tensor can be kept once").isInstanceOf(IllegalArgumentException.class);
                }
                assertThat(temp.isClosed()).isTrue();
                assertThat(kept.isClosed()).isFalse();
                Host.assertExact("kept tensor", new double[] {2, 4, 6}, values(kept));
                assertThat(outer.liveTensors()).isEqualTo(1);
            }
            assertThat(kept.isClosed()).as("the enclosing scope frees what was kept into it").isTrue();
        });
        assertThat(delta[0]).isZero();
        assertThat(delta[1]).isZero();
    }

    /** The test's own scope is the outermost here: keep at the outermost level leaves the tensor to its owner. */
    @Test
    default void keepFromAnOutermostScopeHandsOwnershipToTheCaller() throws Exception {
        Backend be = backend();
        AtomicReference<Tensor> out = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                try (Scope s = Scope.open()) {
                    out.set(s.keep(Tensor.zeros(be, DType.F32, 4)));
                }
                assertThat(out.get().isClosed()).isFalse();
                out.get().close();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertThat(out.get().isClosed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void allocateIsZeroFilledEvenWhenMemoryIsReused(DType dt) {
        Backend be = backend();
        MemoryStats before = be.memory();
        for (int round = 0; round < 3; round++) {
            for (int n : new int[] {1, 7, 1024, 65_537}) {
                DeviceBuffer buf = be.allocate(dt, n);
                try {
                    assertThat(buf.dtype()).isEqualTo(dt);
                    assertThat(buf.length()).isEqualTo(n);
                    assertThat(buf.bytes()).isEqualTo((long) n * dt.bytes());
                    assertThat(buf.backend()).isSameAs(be);
                    double[] v = Host.read(be, Span.of(buf), n);
                    for (int i = 0; i < n; i++) {
                        if (v[i] != 0) {
                            throw new AssertionError("allocate(" + dt + ", " + n + ") round " + round + ": element " + i
                                    + " is " + v[i] + ", not 0");
                        }
                    }
                    be.fill(Span.of(buf), n, 7.5);
                } finally {
                    be.free(buf);
                }
            }
        }
        MemoryStats after = be.memory();
        if (after.reclaimedByCleaner() == before.reclaimedByCleaner()) {
            assertThat(after.liveBuffers()).isEqualTo(before.liveBuffers());
            assertThat(after.liveBytes()).isEqualTo(before.liveBytes());
        }
        assertThat(after.totalAllocations() - before.totalAllocations()).isGreaterThanOrEqualTo(12);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void readAndWriteHonourOffsetsAndCountTransfers(DType dt) {
        Backend be = backend();
        try (Scope _ = Scope.open()) {
            Tensor t = Tensor.zeros(be, dt, 20);
            Span at4 = new Span(t.span().buffer(), 4);
            MemoryStats before = be.memory();
            if (dt == DType.F32) {
                float[] src = {9, 9, 1.5f, -2.25f, 3, 4.125f, 9};
                be.write(at4, src, 2, 4);
                float[] dst = new float[8];
                java.util.Arrays.fill(dst, -1);
                be.read(new Span(t.span().buffer(), 3), dst, 1, 6);
                assertThat(dst).containsExactly(-1, 0, 1.5f, -2.25f, 3, 4.125f, 0, -1);
            } else {
                double[] src = {9, 9, 1.5, -2.25, 3, 4.125, 9};
                be.write(at4, src, 2, 4);
                double[] dst = new double[8];
                java.util.Arrays.fill(dst, -1);
                be.read(new Span(t.span().buffer(), 3), dst, 1, 6);
                assertThat(dst).containsExactly(-1, 0, 1.5, -2.25, 3, 4.125, 0, -1);
            }
            MemoryStats after = be.memory();
            assertThat(after.hostToDeviceBytes() - before.hostToDeviceBytes()).as("bytes written").isEqualTo(4L * dt.bytes());
            assertThat(after.deviceToHostBytes() - before.deviceToHostBytes()).as("bytes read").isEqualTo(6L * dt.bytes());
            double[] all = values(t);
            double[] expected = new double[20];
            expected[4] = 1.5;
            expected[5] = -2.25;
            expected[6] = 3;
            expected[7] = 4.125;
            Host.assertExact("write at offset 4 leaves the rest", expected, all);
        }
    }

    /** Tensors dropped without close are freed by the Cleaner, which the backend counts as a reclaim. */
    @Test
    default void cleanerReclaimsUnclosedTensorsAndCountsThem() throws Exception {
        Backend be = backend();
        long before = be.memory().reclaimedByCleaner();
        Thread t = new Thread(() -> {
            // no scope on this thread: these tensors are owned by nobody
            for (int i = 0; i < 8; i++) {
                Tensor.zeros(be, DType.F32, 1000);
            }
        });
        t.start();
        t.join();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (be.memory().reclaimedByCleaner() < before + 8 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(be.memory().reclaimedByCleaner() - before)
                .as("unclosed tensors reclaimed by the Cleaner within 20 s of System.gc()")
                .isGreaterThanOrEqualTo(8);
        long n = be.memory().reclaimedByCleaner();
        be.noteReclaimedByCleaner();
        assertThat(be.memory().reclaimedByCleaner()).isGreaterThanOrEqualTo(n + 1);
    }

    @Test
    default void backendIdentityAndSynchronize() {
        Backend be = backend();
        assertThat(be.name()).isEqualTo(backendName());
        assertThat(be.device()).isNotBlank();
        assertThat(Backends.byName(backendName())).as("one shared instance per backend").isSameAs(be);
        BackendStatus status = Backends.statuses().stream().filter(s -> s.name().equals(backendName())).findFirst()
                .orElseThrow();
        assertThat(status.available()).isTrue();
        assertThat(status.probe().device()).isNotBlank();
        try (Scope _ = Scope.open()) {
            Tensor x = Host.tensor(be, DType.F32, Host.uniform(DType.F32, 1, 64 * 64, -1, 1), 64, 64);
            Tensor y = x.matmul(x).exp();
            be.synchronize();
            assertThat(values(y)).hasSize(64 * 64);
        }
        be.synchronize();
    }

    /**
     * A second instance from the provider works on its own, rejects mixing with the shared one, and its
     * {@link Backend#close} leaves the shared instance working.
     */
    @Test
    default void aSecondInstanceIsIndependentAndClosesCleanly() {
        Backend shared = backend();
        BackendStatus status = Backends.statuses().stream().filter(s -> s.name().equals(backendName())).findFirst()
                .orElseThrow();
        Backend second = status.provider().create();
        try {
            assertThat(second).isNotSameAs(shared);
            assertThat(second.name()).isEqualTo(backendName());
            try (Scope _ = Scope.open()) {
                Tensor a = Host.tensor(second, DType.F64, new double[] {1, 2, 3, 4}, 2, 2);
                Host.assertExact("second instance computes", new double[] {7, 10, 15, 22}, values(a.matmul(a)));
                assertThat(second.memory().liveBuffers()).isGreaterThanOrEqualTo(2);
                Tensor b = Host.tensor(shared, DType.F64, new double[] {1, 2, 3, 4}, 2, 2);
                assertThatThrownBy(() -> a.add(b))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("add")
                        .hasMessageContaining("different backends");
            }
            assertThat(second.memory().liveBuffers()).as("second instance's buffers freed").isZero();
            assertThat(second.memory().liveBytes()).isZero();
        } finally {
            second.close();
        }
        try (Scope _ = Scope.open()) {
            Tensor c = Host.tensor(shared, DType.F32, new double[] {1, 2, 3, 4}, 2, 2);
            Host.assertExact("shared instance after closing another", new double[] {7, 10, 15, 22},
                    values(c.matmul(c)));
        }
    }
}
