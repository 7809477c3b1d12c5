package dev.ember.cpu;

import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.BufferAccounting;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import dev.ember.cpu.gemm.Gemm;
import dev.ember.cpu.kernels.Parallel;

import java.util.concurrent.ForkJoinPool;

/**
 * The CPU backend: buffers are Java arrays, kernels use the Vector API, large work is split over
 * a private fork-join pool. This class only unwraps spans and dispatches on the dtype; the kernels
 * live in {@code dev.ember.cpu.kernels} and {@code dev.ember.cpu.gemm}.
 */
public final class CpuBackend implements Backend {
    private final BufferAccounting accounting = new BufferAccounting();
    private final int threads;
    private final ForkJoinPool pool;
    private final Parallel parallel;
    private final Gemm gemm;

    public CpuBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.pool = CpuThreads.newPool(threads);
        this.parallel = new Parallel(pool, threads);
        this.gemm = new Gemm(parallel);
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return CpuBackendProvider.describe(threads);
    }

    // ---------------------------------------------------------------- memory

    @Override
    public DeviceBuffer allocate(DType dtype, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("allocate: length must be >= 1, got " + length);
        }
        CpuBuffer buffer = new CpuBuffer(this, dtype, length);
        accounting.allocated(buffer.bytes());
        return buffer;
    }

    @Override
    public void free(DeviceBuffer buffer) {
        accounting.freed(own(buffer, "free").bytes());
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
        System.arraycopy(src, srcOffset, f(dst), dst.offset(), length);
        accounting.copiedToDevice(4L * length);
    }

    @Override
    public void write(Span dst, double[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, d(dst), dst.offset(), length);
        accounting.copiedToDevice(8L * length);
    }

    @Override
    public void read(Span src, float[] dst, int dstOffset, int length) {
        System.arraycopy(f(src), src.offset(), dst, dstOffset, length);
        accounting.copiedToHost(4L * length);
    }

    @Override
    public void read(Span src, double[] dst, int dstOffset, int length) {
        System.arraycopy(d(src), src.offset(), dst, dstOffset, length);
        accounting.copiedToHost(8L * length);
    }

    @Override
    public void synchronize() {
        // every CPU call completes before it returns
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b,
                     int ldb, double beta, Span c, int ldc) {
        if (isF32(c)) {
            gemm.sgemm(transA, transB, m, n, k, (float) alpha, f(a), a.offset(), lda, f(b), b.offset(), ldb,
                    (float) beta, f(c), c.offset(), ldc);
        } else {
            gemm.dgemm(transA, transB, m, n, k, alpha, d(a), a.offset(), lda, d(b), b.offset(), ldb,
                    beta, d(c), c.offset(), ldc);
        }
    }

    // ---------------------------------------------------------------- kernels (to be filled in)

    @Override
    public void fill(Span dst, int length, double value) {
        throw new UnsupportedOperationException("fill");
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        throw new UnsupportedOperationException("copyStrided");
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        throw new UnsupportedOperationException("cast");
    }

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        throw new UnsupportedOperationException("unary");
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        throw new UnsupportedOperationException("binary");
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        throw new UnsupportedOperationException("reduce");
    }

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        throw new UnsupportedOperationException("activation");
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        throw new UnsupportedOperationException("activationBackward");
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        throw new UnsupportedOperationException("softmax");
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        throw new UnsupportedOperationException("softmaxBackward");
    }

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        throw new UnsupportedOperationException("batchNormTraining");
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        throw new UnsupportedOperationException("batchNormInference");
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean,
                                  Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        throw new UnsupportedOperationException("batchNormBackward");
    }

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        throw new UnsupportedOperationException("random");
    }

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        throw new UnsupportedOperationException("sgdUpdate");
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        throw new UnsupportedOperationException("momentumUpdate");
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                              double eps) {
        throw new UnsupportedOperationException("rmspropUpdate");
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1,
                           double beta2, double eps, int step, double weightDecay) {
        throw new UnsupportedOperationException("adamUpdate");
    }

    @Override
    public void close() {
        pool.shutdown();
    }

    // ---------------------------------------------------------------- span unwrapping

    private CpuBuffer own(DeviceBuffer buffer, String operation) {
        if (!(buffer instanceof CpuBuffer cpu) || cpu.backend() != this) {
            throw new IllegalArgumentException(operation + ": buffer belongs to backend "
                    + buffer.backend().name() + ", not to this cpu backend");
        }
        return cpu;
    }

    private static boolean isF32(Span s) {
        return s.buffer().dtype() == DType.F32;
    }

    private float[] f(Span s) {
        float[] a = own(s.buffer(), "cpu").floats;
        if (a == null) {
            throw new IllegalArgumentException("cpu: expected an F32 buffer, got " + s.buffer().dtype());
        }
        return a;
    }

    private double[] d(Span s) {
        double[] a = own(s.buffer(), "cpu").doubles;
        if (a == null) {
            throw new IllegalArgumentException("cpu: expected an F64 buffer, got " + s.buffer().dtype());
        }
        return a;
    }
}
