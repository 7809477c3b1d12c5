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
import dev.ember.cpu.kernels.ActivationKernels;
import dev.ember.cpu.kernels.BatchNormKernels;
import dev.ember.cpu.kernels.BinaryKernels;
import dev.ember.cpu.kernels.CopyKernels;
import dev.ember.cpu.kernels.OptimizerKernels;
import dev.ember.cpu.kernels.Parallel;
import dev.ember.cpu.kernels.RandomKernels;
import dev.ember.cpu.kernels.ReduceKernels;
import dev.ember.cpu.kernels.SoftmaxKernels;
import dev.ember.cpu.kernels.UnaryKernels;


/**
 * The CPU backend: buffers are Java arrays, kernels use the Vector API, large work is split over
 * the calling thread and the backend's helper threads ({@link Parallel}). This class only unwraps spans and dispatches on the dtype; the kernels
 * live in {@code dev.ember.cpu.kernels} and {@code dev.ember.cpu.gemm}.
 */
public final class CpuBackend implements Backend {
    private final BufferAccounting accounting = new BufferAccounting();
    private final int threads;
    private final Parallel parallel;
    private final Gemm gemm;
    private final CopyKernels copy;
    private final UnaryKernels unary;
    private final BinaryKernels binary;
    private final ReduceKernels reduce;
    private final ActivationKernels activation;
    private final SoftmaxKernels softmax;
    private final BatchNormKernels batchNorm;
    private final RandomKernels random;
    private final OptimizerKernels optimizer;

    /** A backend with {@code threads} threads in all whose helpers spin {@link Parallel#DEFAULT_SPIN_NANOS}. */
    public CpuBackend(int threads) {
        this(threads, Parallel.DEFAULT_SPIN_NANOS);
    }

    /** A backend with {@code threads} threads in all whose helpers spin {@code spinNanos} before parking. */
    public CpuBackend(int threads, long spinNanos) {
        if (threads < 1) {
            throw new IllegalArgumentException("cpu backend: threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.parallel = new Parallel(threads, spinNanos);
        this.gemm = new Gemm(parallel);
        this.copy = new CopyKernels(parallel);
        this.unary = new UnaryKernels(parallel);
        this.binary = new BinaryKernels(parallel);
        this.reduce = new ReduceKernels(parallel);
        this.activation = new ActivationKernels(parallel);
        this.softmax = new SoftmaxKernels(parallel);
        this.batchNorm = new BatchNormKernels(parallel);
        this.random = new RandomKernels(parallel);
        this.optimizer = new OptimizerKernels(parallel);
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

    // ---------------------------------------------------------------- data movement

    @Override
    public void fill(Span dst, int length, double value) {
        if (isF32(dst)) {
            copy.fill(f(dst), dst.offset(), length, (float) value);
        } else {
            copy.fill(d(dst), dst.offset(), length, value);
        }
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        if (isF32(dst)) {
            copy.copyStrided(f(src), src.offset(), shape, srcStrides, f(dst), dst.offset());
        } else {
            copy.copyStrided(d(src), src.offset(), shape, srcStrides, d(dst), dst.offset());
        }
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        if (isF32(src) && isF32(dst)) {
            copy.copy(f(src), src.offset(), f(dst), dst.offset(), length);
        } else if (isF32(src)) {
            copy.cast(f(src), src.offset(), d(dst), dst.offset(), length);
        } else if (isF32(dst)) {
            copy.cast(d(src), src.offset(), f(dst), dst.offset(), length);
        } else {
            copy.copy(d(src), src.offset(), d(dst), dst.offset(), length);
        }
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        if (isF32(out)) {
            unary.f32(op, (float) param, f(x), x.offset(), f(out), out.offset(), length);
        } else {
            unary.f64(op, param, d(x), x.offset(), d(out), out.offset(), length);
        }
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        Span as = a.span();
        Span bs = b.span();
        if (isF32(out)) {
            binary.f32(op, rows, cols, f(as), as.offset(), a.rowStride(), a.colStride(),
                    f(bs), bs.offset(), b.rowStride(), b.colStride(), f(out), out.offset());
        } else {
            binary.f64(op, rows, cols, d(as), as.offset(), a.rowStride(), a.colStride(),
                    d(bs), bs.offset(), b.rowStride(), b.colStride(), d(out), out.offset());
        }
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        if (isF32(out)) {
            reduce.f32(op, f(x), x.offset(), outer, length, inner, f(out), out.offset());
        } else {
            reduce.f64(op, d(x), x.offset(), outer, length, inner, d(out), out.offset());
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        if (isF32(y)) {
            activation.forward(act, (float) alpha, f(x), x.offset(), f(y), y.offset(), length);
        } else {
            activation.forward(act, alpha, d(x), x.offset(), d(y), y.offset(), length);
        }
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        if (isF32(dx)) {
            activation.backward(act, (float) alpha, f(x), x.offset(), f(y), y.offset(), f(dy), dy.offset(),
                    f(dx), dx.offset(), length);
        } else {
            activation.backward(act, alpha, d(x), x.offset(), d(y), y.offset(), d(dy), dy.offset(),
                    d(dx), dx.offset(), length);
        }
    }

    @Override
    public void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
        if (isF32(y)) {
            activation.biasForward(act, (float) alpha, f(x), x.offset(), f(bias), bias.offset(), f(y), y.offset(),
                    rows, cols);
        } else {
            activation.biasForward(act, alpha, d(x), x.offset(), d(bias), bias.offset(), d(y), y.offset(), rows,
                    cols);
        }
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        if (isF32(y)) {
            softmax.forward(log, f(x), x.offset(), f(y), y.offset(), rows, cols);
        } else {
            softmax.forward(log, d(x), x.offset(), d(y), y.offset(), rows, cols);
        }
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        if (isF32(dx)) {
            softmax.backward(log, f(y), y.offset(), f(dy), dy.offset(), f(dx), dx.offset(), rows, cols);
        } else {
            softmax.backward(log, d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset(), rows, cols);
        }
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        if (isF32(y)) {
            batchNorm.training(rows, cols, f(x), x.offset(), f(gamma), gamma.offset(), f(beta), beta.offset(),
                    eps, momentum, f(runningMean), runningMean.offset(), f(runningVar), runningVar.offset(),
                    f(y), y.offset(), f(savedMean), savedMean.offset(), f(savedInvStd), savedInvStd.offset());
        } else {
            batchNorm.training(rows, cols, d(x), x.offset(), d(gamma), gamma.offset(), d(beta), beta.offset(),
                    eps, momentum, d(runningMean), runningMean.offset(), d(runningVar), runningVar.offset(),
                    d(y), y.offset(), d(savedMean), savedMean.offset(), d(savedInvStd), savedInvStd.offset());
        }
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        if (isF32(y)) {
            batchNorm.inference(rows, cols, f(x), x.offset(), f(gamma), gamma.offset(), f(beta), beta.offset(),
                    f(runningMean), runningMean.offset(), f(runningVar), runningVar.offset(), eps,
                    f(y), y.offset());
        } else {
            batchNorm.inference(rows, cols, d(x), x.offset(), d(gamma), gamma.offset(), d(beta), beta.offset(),
                    d(runningMean), runningMean.offset(), d(runningVar), runningVar.offset(), eps,
                    d(y), y.offset());
        }
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean,
                                  Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        if (isF32(dx)) {
            batchNorm.backward(rows, cols, f(x), x.offset(), f(dy), dy.offset(), f(gamma), gamma.offset(),
                    f(savedMean), savedMean.offset(), f(savedInvStd), savedInvStd.offset(), f(dx), dx.offset(),
                    f(dgamma), dgamma.offset(), f(dbeta), dbeta.offset());
        } else {
            batchNorm.backward(rows, cols, d(x), x.offset(), d(dy), dy.offset(), d(gamma), gamma.offset(),
                    d(savedMean), savedMean.offset(), d(savedInvStd), savedInvStd.offset(), d(dx), dx.offset(),
                    d(dgamma), dgamma.offset(), d(dbeta), dbeta.offset());
        }
    }

    // ---------------------------------------------------------------- randomness

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        if (isF32(out)) {
            random.fill(distribution, a, b, seed, stream, f(out), out.offset(), length);
        } else {
            random.fill(distribution, a, b, seed, stream, d(out), out.offset(), length);
        }
    }

    // ---------------------------------------------------------------- optimiser updates

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        if (isF32(param)) {
            optimizer.sgd(f(param), param.offset(), f(grad), grad.offset(), length, (float) lr);
        } else {
            optimizer.sgd(d(param), param.offset(), d(grad), grad.offset(), length, lr);
        }
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        if (isF32(param)) {
            optimizer.momentum(f(param), param.offset(), f(grad), grad.offset(), f(velocity), velocity.offset(),
                    length, (float) lr, (float) beta);
        } else {
            optimizer.momentum(d(param), param.offset(), d(grad), grad.offset(), d(velocity), velocity.offset(),
                    length, lr, beta);
        }
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                              double eps) {
        if (isF32(param)) {
            optimizer.rmsprop(f(param), param.offset(), f(grad), grad.offset(), f(meanSquare), meanSquare.offset(),
                    length, (float) lr, (float) beta, (float) eps);
        } else {
            optimizer.rmsprop(d(param), param.offset(), d(grad), grad.offset(), d(meanSquare), meanSquare.offset(),
                    length, lr, beta, eps);
        }
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1,
                           double beta2, double eps, int step, double weightDecay) {
        if (isF32(param)) {
            optimizer.adam(f(param), param.offset(), f(grad), grad.offset(), f(m), m.offset(), f(v), v.offset(),
                    length, lr, beta1, beta2, eps, step, weightDecay);
        } else {
            optimizer.adam(d(param), param.offset(), d(grad), grad.offset(), d(m), m.offset(), d(v), v.offset(),
                    length, lr, beta1, beta2, eps, step, weightDecay);
        }
    }

    @Override
    public void close() {
        parallel.close();
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
