package dev.ember.core.reference;

import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.BufferAccounting;
import dev.ember.core.spi.DerivedOps;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Philox;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.ScalarOps;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

/**
 * The reference backend: plain scalar Java implementing only the required tier of {@link Backend},
 * one element at a time, in the most literal order. It is the living definition of the primitives and,
 * because it inherits every derived operation from {@link DerivedOps}, the proof that the defaults are
 * complete: it runs the whole conformance kit and {@code nn}'s suites. It is deliberately simple and
 * slow: never use it for work.
 *
 * <p>Each result is computed in double and rounded to the buffer's dtype, which for +, -, *, / and
 * sqrt on F32 operands gives exactly the float operation's bits. As the definition it is also strict
 * about ownership: a buffer used after {@link #free} or freed twice fails the call, which catches
 * misuse in the composed defaults and in core. Calls are not meant to run concurrently; only
 * {@link #free}, which the Cleaner may call from its own thread, and the accounting are thread-safe.
 */
public final class ReferenceBackend implements Backend {
    static final String DEVICE = "scalar Java, one element at a time (core test-jar)";

    private final BufferAccounting accounting = new BufferAccounting(name());
    private final MemoryLimit memoryLimit;

    /** A reference backend limited only by the Java heap. */
    public ReferenceBackend() {
        this(MemoryLimit.NONE);
    }

    /** A reference backend whose live buffers may take at most {@code memoryLimit} bytes together. */
    public ReferenceBackend(MemoryLimit memoryLimit) {
        this.memoryLimit = memoryLimit;
    }

    @Override
    public String name() {
        return ReferenceBackendProvider.NAME;
    }

    @Override
    public String device() {
        return DEVICE;
    }

    @Override
    public void close() {
        // nothing of its own to release
    }

    // ---------------------------------------------------------------- memory

    @Override
    public DeviceBuffer allocate(DType dtype, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("allocate: length must be >= 1, got " + length);
        }
        long bytes = (long) length * dtype.bytes();
        memoryLimit.check(name(), bytes, accounting.snapshot().liveBytes());
        ReferenceBuffer buffer;
        try {
            buffer = new ReferenceBuffer(this, dtype, length);
        } catch (OutOfMemoryError e) {
            throw OutOfDeviceMemoryException.javaHeap(name(), bytes, e);
        }
        accounting.allocated(buffer.bytes());
        return buffer;
    }

    @Override
    public void free(DeviceBuffer buffer) {
        ReferenceBuffer r = own(buffer);
        r.markFreed();
        accounting.freed(r.bytes());
    }

    @Override
    public MemoryStats memory() {
        return accounting.snapshot();
    }

    @Override
    public void noteReclaimedByCleaner() {
        accounting.reclaimedByCleaner();
    }

    @Override
    public void write(Span dst, float[] src, int srcOffset, int length) {
        ReferenceBuffer d = own(dst.buffer());
        for (int i = 0; i < length; i++) {
            d.set(dst.offset() + i, src[srcOffset + i]);
        }
        accounting.copiedToDevice(4L * length);
    }

    @Override
    public void write(Span dst, double[] src, int srcOffset, int length) {
        ReferenceBuffer d = own(dst.buffer());
        for (int i = 0; i < length; i++) {
            d.set(dst.offset() + i, src[srcOffset + i]);
        }
        accounting.copiedToDevice(8L * length);
    }

    @Override
    public void read(Span src, float[] dst, int dstOffset, int length) {
        double[] s = values(src);
        for (int i = 0; i < length; i++) {
            dst[dstOffset + i] = (float) s[src.offset() + i];
        }
        accounting.copiedToHost(4L * length);
    }

    @Override
    public void read(Span src, double[] dst, int dstOffset, int length) {
        System.arraycopy(values(src), src.offset(), dst, dstOffset, length);
        accounting.copiedToHost(8L * length);
    }

    @Override
    public void synchronize() {
        // every call completes before it returns
    }

    // ---------------------------------------------------------------- data movement

    @Override
    public void fill(Span dst, int length, double value) {
        ReferenceBuffer d = own(dst.buffer());
        for (int i = 0; i < length; i++) {
            d.set(dst.offset() + i, value);
        }
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        double[] s = values(src);
        ReferenceBuffer d = own(dst.buffer());
        int size = 1;
        for (int extent : shape) {
            size *= extent;
        }
        int[] index = new int[shape.length];
        for (int out = 0; out < size; out++) {
            int at = src.offset();
            for (int k = 0; k < shape.length; k++) {
                at += index[k] * srcStrides[k];
            }
            d.set(dst.offset() + out, s[at]);
            for (int k = shape.length - 1; k >= 0 && ++index[k] == shape[k]; k--) {   // row-major odometer
                index[k] = 0;
            }
        }
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        double[] s = values(src);
        ReferenceBuffer d = own(dst.buffer());
        for (int i = 0; i < length; i++) {
            d.set(dst.offset() + i, s[src.offset() + i]);
        }
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b,
                     int ldb, double beta, Span c, int ldc) {
        double[] av = values(a);
        double[] bv = values(b);
        ReferenceBuffer cb = own(c.buffer());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = transA ? av[a.offset() + p * lda + i] : av[a.offset() + i * lda + p];
                    double bpj = transB ? bv[b.offset() + j * ldb + p] : bv[b.offset() + p * ldb + j];
                    sum += aip * bpj;
                }
                int at = c.offset() + i * ldc + j;
                cb.set(at, beta == 0 ? alpha * sum : alpha * sum + beta * cb.values[at]);
            }
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        double[] xv = values(x);
        ReferenceBuffer o = own(out.buffer());
        double p = round(o.dtype(), param);   // the parameter is a value of the dtype, as on every backend
        for (int i = 0; i < length; i++) {
            o.set(out.offset() + i, ScalarOps.unary(op, p, xv[x.offset() + i]));
        }
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        double[] av = values(a.span());
        double[] bv = values(b.span());
        ReferenceBuffer o = own(out.buffer());
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = av[a.span().offset() + i * a.rowStride() + j * a.colStride()];
                double y = bv[b.span().offset() + i * b.rowStride() + j * b.colStride()];
                o.set(out.offset() + i * cols + j, ScalarOps.binary(op, x, y));
            }
        }
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        double[] xv = values(x);
        ReferenceBuffer o = own(out.buffer());
        for (int r = 0; r < outer; r++) {
            for (int c = 0; c < inner; c++) {
                int first = x.offset() + r * length * inner + c;
                o.set(out.offset() + r * inner + c, ScalarOps.reduce(op, xv, first, length, inner));
            }
        }
    }

    // ---------------------------------------------------------------- randomness

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        ReferenceBuffer o = own(out.buffer());
        for (int i = 0; i < length; i++) {
            double v = switch (distribution) {
                case UNIFORM -> a + (b - a) * Philox.uniform(Philox.word(seed, stream, i));
                case NORMAL -> a + b * Philox.normal(seed, stream, i);
                case BERNOULLI -> Philox.uniform(Philox.word(seed, stream, i)) < a ? b : 0.0;
            };
            o.set(out.offset() + i, v);
        }
    }

    // ---------------------------------------------------------------- buffers

    private ReferenceBuffer own(DeviceBuffer buffer) {
        if (!(buffer instanceof ReferenceBuffer r) || r.backend() != this) {
            throw new IllegalArgumentException("reference: buffer belongs to backend " + buffer.backend().name()
                    + ", not to this reference backend");
        }
        if (r.isFreed()) {
            throw new IllegalStateException("reference: a " + r.dtype() + " buffer of " + r.length()
                    + " elements was used after it was freed");
        }
        return r;
    }

    private double[] values(Span span) {
        return own(span.buffer()).values;
    }

    private static double round(DType dtype, double v) {
        return dtype == DType.F32 ? (double) (float) v : v;
    }
}
