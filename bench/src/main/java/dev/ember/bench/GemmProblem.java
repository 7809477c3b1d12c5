package dev.ember.bench;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

/** Buffers for one GEMM problem on one backend, filled with seeded random data; runs it without allocating. */
public final class GemmProblem implements AutoCloseable {
    private final Backend backend;
    private final GemmShape shape;
    private final DeviceBuffer a;
    private final DeviceBuffer b;
    private final DeviceBuffer c;
    private final Span sa;
    private final Span sb;
    private final Span sc;

    public GemmProblem(Backend backend, DType dtype, GemmShape shape) {
        this.backend = backend;
        this.shape = shape;
        this.a = backend.allocate(dtype, shape.m() * shape.k());
        this.b = backend.allocate(dtype, shape.k() * shape.n());
        this.c = backend.allocate(dtype, shape.m() * shape.n());
        this.sa = Span.of(a);
        this.sb = Span.of(b);
        this.sc = Span.of(c);
        backend.random(Distribution.UNIFORM, -1, 1, 42, 1, sa, a.length());
        backend.random(Distribution.UNIFORM, -1, 1, 42, 2, sb, b.length());
        backend.synchronize();
    }

    /** One {@code C = A B} and a wait for it to finish. */
    public void run() {
        enqueue();
        backend.synchronize();
    }

    /**
     * One {@code C = A B} without waiting: on a device backend it is queued, so a timing of many calls
     * between two {@code synchronize()} measures the device's throughput, not each launch's round trip.
     */
    public void enqueue() {
        backend.gemm(shape.transA(), shape.transB(), shape.m(), shape.n(), shape.k(), 1.0, sa, shape.lda(),
                sb, shape.ldb(), 0.0, sc, shape.n());
    }

    /** Waits for every queued call. */
    public void synchronize() {
        backend.synchronize();
    }

    public GemmShape shape() {
        return shape;
    }

    @Override
    public void close() {
        backend.free(a);
        backend.free(b);
        backend.free(c);
    }
}
