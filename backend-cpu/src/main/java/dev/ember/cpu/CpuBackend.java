package dev.ember.cpu;

import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.BufferAccounting;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import dev.ember.cpu.gemm.Gemm;
import dev.ember.cpu.kernels.CastKernels;
import dev.ember.cpu.kernels.Parallel;

/**
 * The CPU backend: buffers are Java arrays, kernels use the Vector API, large work is split over
 * the calling thread and the backend's helper threads ({@link Parallel}). This class only picks the
 * kernels of the operands' dtype ({@link DTypeKernels}, one instance per dtype, chosen by the
 * dtype's ordinal); the kernels live in {@code dev.ember.cpu.kernels} and {@code dev.ember.cpu.gemm}.
 */
public final class CpuBackend implements Backend {
    private final BufferAccounting accounting = new BufferAccounting(name());
    private final int threads;
    private final MemoryLimit memoryLimit;
    private final Parallel parallel;
    private final CastKernels casts;
    private final FloatKernels f32;
    private final DoubleKernels f64;
    /** The kernels of each dtype, at its ordinal. */
    private final DTypeKernels[] byDType = new DTypeKernels[DType.values().length];

    /** A backend with {@code threads} threads in all whose helpers spin {@link Parallel#DEFAULT_SPIN_NANOS}. */
    public CpuBackend(int threads) {
        this(threads, Parallel.DEFAULT_SPIN_NANOS);
    }

    /** A backend with {@code threads} threads in all whose helpers spin {@code spinNanos} before parking. */
    public CpuBackend(int threads, long spinNanos) {
        this(threads, spinNanos, MemoryLimit.NONE);
    }

    /**
     * A backend with {@code threads} threads in all whose helpers spin {@code spinNanos} before parking,
     * and whose live buffers take at most {@code memoryLimit} (besides the Java heap's own limit).
     */
    public CpuBackend(int threads, long spinNanos, MemoryLimit memoryLimit) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.memoryLimit = memoryLimit;
        this.parallel = new Parallel(threads, spinNanos);
        Gemm gemm = new Gemm(parallel);
        this.casts = new CastKernels(parallel);
        this.f32 = new FloatKernels(this, parallel, gemm, casts);
        this.f64 = new DoubleKernels(this, parallel, gemm, casts);
        byDType[DType.F32.ordinal()] = f32;
        byDType[DType.F64.ordinal()] = f64;
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
        memoryLimit.check(name(), (long) length * dtype.bytes(), accounting.snapshot().liveBytes());
        CpuBuffer buffer;
        try {
            buffer = new CpuBuffer(this, dtype, length);
        } catch (OutOfMemoryError e) {   // the array alone failed: nothing else is half-built
            throw OutOfDeviceMemoryException.javaHeap(name(), (long) length * dtype.bytes(), e);
        }
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
        System.arraycopy(src, srcOffset, f32.array(dst), dst.offset(), length);
        accounting.copiedToDevice(4L * length);
    }

    @Override
    public void write(Span dst, double[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, f64.array(dst), dst.offset(), length);
        accounting.copiedToDevice(8L * length);
    }

    @Override
    public void read(Span src, float[] dst, int dstOffset, int length) {
        System.arraycopy(f32.array(src), src.offset(), dst, dstOffset, length);
        accounting.copiedToHost(4L * length);
    }

    @Override
    public void read(Span src, double[] dst, int dstOffset, int length) {
        System.arraycopy(f64.array(src), src.offset(), dst, dstOffset, length);
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
        kernels(c).gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // ---------------------------------------------------------------- data movement

    @Override
    public void fill(Span dst, int length, double value) {
        kernels(dst).fill(dst, length, value);
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        kernels(dst).copyStrided(src, shape, srcStrides, dst);
    }

    /** The one operation on two dtypes: a copy when they agree, else a widening or narrowing cast. */
    @Override
    public void cast(Span src, Span dst, int length) {
        DType from = src.buffer().dtype();
        if (from == dst.buffer().dtype()) {
            kernels(dst).copy(src, dst, length);
        } else if (from == DType.F32) {
            casts.cast(f32.array(src), src.offset(), f64.array(dst), dst.offset(), length);
        } else {
            casts.cast(f64.array(src), src.offset(), f32.array(dst), dst.offset(), length);
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        kernels(out).unary(op, param, x, out, length);
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        kernels(out).binary(op, rows, cols, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        kernels(out).reduce(op, x, outer, length, inner, out);
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        kernels(y).activation(act, alpha, x, y, length);
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        kernels(dx).activationBackward(act, alpha, x, y, dy, dx, length);
    }

    @Override
    public void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
        kernels(y).biasActivation(act, alpha, x, bias, y, rows, cols);
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        kernels(y).softmax(log, x, y, rows, cols);
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        kernels(dx).softmaxBackward(log, y, dy, dx, rows, cols);
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        kernels(y).batchNormTraining(rows, cols, x, gamma, beta, eps, momentum, runningMean, runningVar, y, savedMean,
                savedInvStd);
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        kernels(y).batchNormInference(rows, cols, x, gamma, beta, runningMean, runningVar, eps, y);
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean,
                                  Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        kernels(dx).batchNormBackward(rows, cols, x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
    }

    // ---------------------------------------------------------------- randomness

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        kernels(out).random(distribution, a, b, seed, stream, out, length);
    }

    // ---------------------------------------------------------------- optimiser updates

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        kernels(param).sgdUpdate(param, grad, length, lr);
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        kernels(param).momentumUpdate(param, grad, velocity, length, lr, beta);
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                              double eps) {
        kernels(param).rmspropUpdate(param, grad, meanSquare, length, lr, beta, eps);
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1,
                           double beta2, double eps, int step, double weightDecay) {
        kernels(param).adamUpdate(param, grad, m, v, length, lr, beta1, beta2, eps, step, weightDecay);
    }

    @Override
    public void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
        kernels(outputs[0]).evaluate(expression, rows, cols, inputs, outputs);
    }

    @Override
    public void close() {
        parallel.close();
    }

    // ---------------------------------------------------------------- buffers and dtypes

    /** The kernels of the span's dtype. */
    private DTypeKernels kernels(Span s) {
        return byDType[s.buffer().dtype().ordinal()];
    }

    /** The buffer as this backend's own, failing with {@code operation} for another backend's. */
    CpuBuffer own(DeviceBuffer buffer, String operation) {
        if (!(buffer instanceof CpuBuffer cpu) || cpu.backend() != this) {
            throw new IllegalArgumentException(operation + ": buffer belongs to backend "
                    + buffer.backend().name() + ", not to this cpu backend");
        }
        return cpu;
    }
}
