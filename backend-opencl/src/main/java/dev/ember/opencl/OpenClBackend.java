package dev.ember.opencl;

import dev.ember.core.DType;
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
import dev.ember.gpu.ExpressionSource;
import dev.ember.gpu.Extents;
import dev.ember.gpu.KernelSources;
import dev.ember.gpu.KernelSources.Dialect;
import dev.ember.gpu.OpCodes;
import dev.ember.gpu.SpanChecks;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The OpenCL backend: buffers are {@code cl_mem}, every operation enqueues one kernel on this
 * instance's in-order queue without waiting; {@link #read} and {@link #synchronize} wait. This class
 * checks and unwraps arguments and picks launch sizes; the arithmetic is in the {@code .cl} resources.
 */
public final class OpenClBackend implements Backend {
    private final OpenClContext context;
    private final DeviceInfo device;
    private final cl_command_queue queue;
    private final DeviceQueue commands;
    private final BufferAccounting accounting = new BufferAccounting(name());
    private final MemoryBudget budget;
    private final SpanChecks<OpenClBuffer> checks = new SpanChecks<>(this, OpenClBuffer.class, OpenClBuffer::isReleased);
    private final LaunchGrid grid;
    private KernelSet f32;
    private KernelSet f64;
    private KernelSet casts;
    private GemmKernel gemm32;
    private GemmKernel gemm64;
    /** One program per expression structure and dtype, built on first use (the program cache keeps the binary). */
    private final Map<ExpressionKey, KernelSet> expressions = new HashMap<>();
    private boolean closed;

    public OpenClBackend(DeviceInfo device) {
        this(device, MemoryLimit.NONE);
    }

    /** A backend on {@code device} whose live buffers take at most {@code memoryLimit} (besides the device's size). */
    public OpenClBackend(DeviceInfo device, MemoryLimit memoryLimit) {
        this.device = device;
        this.budget = new MemoryBudget(device, memoryLimit);
        this.context = OpenClContext.acquire(device);
        try {
            this.queue = context.newQueue();
        } catch (RuntimeException e) {
            context.release();
            throw e;
        }
        this.commands = new DeviceQueue(queue);
        this.grid = new LaunchGrid(device);
    }

    /** Kernel launches and buffer fills enqueued so far by this backend (zero-filling new buffers included). */
    public CommandCounts commandCounts() {
        return commands.counts();
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String device() {
        return device.describe();
    }

    /** The device this backend runs on. */
    public DeviceInfo deviceInfo() {
        return device;
    }

    /** The GEMM tiles chosen for {@code dtype} on this device (builds the kernel if needed). */
    public String gemmConfig(DType dtype) {
        return gemm(dtype).config().toString();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public DeviceBuffer allocate(DType dtype, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("allocate: length must be >= 1, got " + length);
        }
        requireDtype(dtype, "allocate");
        long bytes = (long) length * dtype.bytes();
        budget.check(bytes, accounting.snapshot().liveBytes());   // before the driver: PoCL may abort instead of failing
        cl_mem mem;
        try {
            mem = CL.clCreateBuffer(context.handle(), CL.CL_MEM_READ_WRITE, bytes, null, null);
        } catch (CLException e) {
            if (outOfMemory(e)) {
                throw budget.refused(bytes, accounting.snapshot().liveBytes(), "the driver ("
                        + ClErrors.name(e.getStatus()) + ")", e);
            }
            throw ClErrors.wrap("allocate " + length + " x " + dtype + " (" + bytes + " bytes) on " + device.name(), e);
        }
        try {
            Pointer zero = dtype == DType.F32 ? Pointer.to(new float[1]) : Pointer.to(new double[1]);
            CL.clEnqueueFillBuffer(queue, mem, zero, dtype.bytes(), 0, bytes, 0, null, null);
            commands.bufferFilled();
        } catch (CLException e) {
            CL.clReleaseMemObject(mem);
            if (outOfMemory(e)) {
                throw budget.refused(bytes, accounting.snapshot().liveBytes(), "the driver, zero-filling ("
                        + ClErrors.name(e.getStatus()) + ")", e);
            }
            throw ClErrors.wrap("zero-filling " + bytes + " bytes on " + device.name(), e);
        }
        OpenClBuffer buffer = new OpenClBuffer(this, dtype, length, mem);
        accounting.allocated(bytes);
        return buffer;
    }

    private static boolean outOfMemory(CLException e) {
        int status = e.getStatus();
        return status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY || status == CL.CL_INVALID_BUFFER_SIZE;
    }

    @Override
    public void free(DeviceBuffer buffer) {
        OpenClBuffer b = checks.own(buffer, "free");
        if (b.release()) { // may run on the Cleaner thread: release is atomic and clReleaseMemObject thread-safe
            accounting.freed(b.bytes());
        }
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
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        copyIn(dst, DType.F32, Pointer.to(src), srcOffset, length);
    }

    @Override
    public void write(Span dst, double[] src, int srcOffset, int length) {
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        copyIn(dst, DType.F64, Pointer.to(src), srcOffset, length);
    }

    @Override
    public void read(Span src, float[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        copyOut(src, DType.F32, Pointer.to(dst), dstOffset, length);
    }

    @Override
    public void read(Span src, double[] dst, int dstOffset, int length) {
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        copyOut(src, DType.F64, Pointer.to(dst), dstOffset, length);
    }

    /** Blocking copy of {@code length} host elements into {@code dst}: the JVM may move a Java array once the call returns. */
    private void copyIn(Span dst, DType dtype, Pointer host, int hostOffset, int length) {
        OpenClBuffer b = checks.buffer(dst, dtype, "write");
        Extents.check("write", "destination", dst, length);
        if (length > 0) {
            long size = dtype.bytes();
            transfer("write", () -> CL.clEnqueueWriteBuffer(queue, b.mem, true, size * dst.offset(), size * length,
                    host.withByteOffset(size * hostOffset), 0, null, null));
            accounting.copiedToDevice(size * length);
        }
    }

    /** Blocking copy to the host; the queue is in order, so every kernel enqueued before has finished. */
    private void copyOut(Span src, DType dtype, Pointer host, int hostOffset, int length) {
        OpenClBuffer b = checks.buffer(src, dtype, "read");
        Extents.check("read", "source", src, length);
        if (length > 0) {
            long size = dtype.bytes();
            transfer("read", () -> CL.clEnqueueReadBuffer(queue, b.mem, true, size * src.offset(), size * length,
                    host.withByteOffset(size * hostOffset), 0, null, null));
            accounting.copiedToHost(size * length);
        }
    }

    @Override
    public void synchronize() {
        transfer("synchronize", () -> CL.clFinish(queue));
    }

    // ---------------------------------------------------------------- data movement

    @Override
    public void fill(Span dst, int length, double value) {
        checks.buffer(dst, null, "fill");
        Extents.check("fill", "destination", dst, length);
        kernels(dst).get("ember_fill").args().span(dst).i(length).real(value).run(grid.linear(length), grid.local());
    }

    @Override
    public void copyStrided(Span src, int[] shape, int[] srcStrides, Span dst) {
        DType dtype = checks.sameDtype("copyStrided", src, dst);
        if (shape.length != srcStrides.length) {
            throw new IllegalArgumentException("copyStrided: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(srcStrides) + " differ in rank");
        }
        long total = 1;
        for (int d : shape) {
            total *= d;
        }
        if (total == 0) {
            return;
        }
        Extents.checkStrided("copyStrided", "source", src, shape, srcStrides);
        Extents.check("copyStrided", "destination", dst, total);
        StridedCopy.run(kernels(dtype).get("ember_copy_strided"), grid, (OpenClBuffer) src.buffer(), src.offset(),
                shape, srcStrides, (OpenClBuffer) dst.buffer(), dst.offset());
    }

    @Override
    public void cast(Span src, Span dst, int length) {
        OpenClBuffer s = checks.buffer(src, null, "cast");
        OpenClBuffer d = checks.buffer(dst, null, "cast");
        Extents.check("cast", "source", src, length);
        Extents.check("cast", "destination", dst, length);
        if (s.dtype() == d.dtype()) {
            kernels(dst).get("ember_copy").args().span(src).span(dst).i(length).run(grid.linear(length), grid.local());
            return;
        }
        String kernel = s.dtype() == DType.F32 ? "ember_cast_f32_to_f64" : "ember_cast_f64_to_f32";
        castKernels().get(kernel).args().span(src).span(dst).i(length).run(grid.linear(length), grid.local());
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Span a, int lda, Span b,
                     int ldb, double beta, Span c, int ldc) {
        DType dtype = checks.sameDtype("gemm", a, b, c);
        Extents.check("gemm", "A", a, transA ? Extents.matrix(k, m, lda) : Extents.matrix(m, k, lda));
        Extents.check("gemm", "B", b, transB ? Extents.matrix(n, k, ldb) : Extents.matrix(k, n, ldb));
        Extents.check("gemm", "C", c, Extents.matrix(m, n, ldc));
        if (m == 0 || n == 0) {
            return;
        }
        gemm(dtype).run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // ---------------------------------------------------------------- element-wise

    @Override
    public void unary(UnaryOp op, double param, Span x, Span out, int length) {
        checks.sameDtype("unary", x, out);
        Extents.check("unary", "x", x, length);
        Extents.check("unary", "out", out, length);
        kernels(x).get("ember_unary").args().i(OpCodes.code(op)).real(param).span(x).span(out).i(length)
                .run(grid.linear(length), grid.local());
    }

    @Override
    public void binary(BinaryOp op, int rows, int cols, Operand a, Operand b, Span out) {
        checks.sameDtype("binary", a.span(), b.span(), out);
        Extents.checkStrided("binary", "a", a.span(), new int[] {rows, cols}, new int[] {a.rowStride(), a.colStride()});
        Extents.checkStrided("binary", "b", b.span(), new int[] {rows, cols}, new int[] {b.rowStride(), b.colStride()});
        long n = (long) rows * cols;
        Extents.check("binary", "out", out, n);
        kernels(out).get("ember_binary").args().i(OpCodes.code(op)).i(rows).i(cols)
                .span(a.span()).i(a.rowStride()).i(a.colStride())
                .span(b.span()).i(b.rowStride()).i(b.colStride())
                .span(out).run(grid.linear(Math.toIntExact(n)), grid.local());
    }

    /** The whole expression as one generated kernel: one launch and one pass over memory. */
    @Override
    public void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
        long n = (long) rows * cols;
        DType dtype = outputs[0].buffer().dtype();
        for (int k = 0; k < inputs.length; k++) {   // checked before a program is built for the expression
            Operand in = inputs[k];
            checks.sameDtype("evaluate", in.span(), outputs[0]);
            Extents.checkStrided("evaluate", "input " + k, in.span(), new int[] {rows, cols},
                    new int[] {in.rowStride(), in.colStride()});
        }
        for (int k = 0; k < outputs.length; k++) {
            checks.sameDtype("evaluate", outputs[k], outputs[0]);
            Extents.check("evaluate", "output " + k, outputs[k], n);
        }
        ClKernel.Launch launch = expressionKernels(expression, dtype).get(ExpressionSource.KERNEL).args()
                .i(rows).i(cols);
        for (Operand in : inputs) {
            launch.span(in.span()).i(in.rowStride()).i(in.colStride());
        }
        for (Span out : outputs) {
            launch.span(out);
        }
        for (int node = 0; node < expression.size(); node++) {
            if (ExpressionSource.hasValue(expression, node)) {
                launch.real(expression.value(node));
            }
        }
        launch.run(grid.linear(Math.toIntExact(n)), grid.local());
    }

    @Override
    public void reduce(ReduceOp op, Span x, int outer, int length, int inner, Span out) {
        checks.sameDtype("reduce", x, out);
        long outputs = (long) outer * inner;
        Extents.check("reduce", "x", x, outputs * length);
        Extents.check("reduce", "out", out, outputs);
        KernelSet ks = kernels(x);
        // a work-group per output for few long rows; a work-item per output otherwise
        if (length >= 64 && outputs < 4096) {
            int g = grid.groupFor(length);
            ks.get("ember_reduce_group").args().i(OpCodes.code(op)).span(x).i(outer).i(length).i(inner).span(out)
                    .run(new long[] {outputs * g}, new long[] {g});
        } else {
            ks.get("ember_reduce_serial").args().i(OpCodes.code(op)).span(x).i(outer).i(length).i(inner).span(out)
                    .run(grid.linear(Math.toIntExact(outputs)), grid.local());
        }
    }

    // ---------------------------------------------------------------- activations

    @Override
    public void activation(Activation act, double alpha, Span x, Span y, int length) {
        checks.sameDtype("activation", x, y);
        Extents.check("activation", "x", x, length);
        Extents.check("activation", "y", y, length);
        kernels(x).get("ember_activation").args().i(OpCodes.code(act)).real(alpha).span(x).span(y).i(length)
                .run(grid.linear(length), grid.local());
    }

    @Override
    public void activationBackward(Activation act, double alpha, Span x, Span y, Span dy, Span dx, int length) {
        checks.sameDtype("activationBackward", x, y, dy, dx);
        for (Span s : new Span[] {x, y, dy, dx}) {
            Extents.check("activationBackward", "operand", s, length);
        }
        kernels(x).get("ember_activation_backward").args().i(OpCodes.code(act)).real(alpha)
                .span(x).span(y).span(dy).span(dx).i(length).run(grid.linear(length), grid.local());
    }

    @Override
    public void biasActivation(Activation act, double alpha, Span x, Span bias, Span y, int rows, int cols) {
        checks.sameDtype("biasActivation", x, bias, y);
        Extents.check("biasActivation", "x", x, (long) rows * cols);
        Extents.check("biasActivation", "bias", bias, cols);
        Extents.check("biasActivation", "y", y, (long) rows * cols);
        int n = rows * cols;
        if (n == 0) {
            return;
        }
        kernels(x).get("ember_bias_activation").args().i(OpCodes.code(act)).real(alpha).span(x).span(bias)
                .span(y).i(n).i(cols).run(grid.linear(n), grid.local());
    }

    @Override
    public void softmax(boolean log, Span x, Span y, int rows, int cols) {
        checks.sameDtype("softmax", x, y);
        Extents.check("softmax", "x", x, (long) rows * cols);
        Extents.check("softmax", "y", y, (long) rows * cols);
        if (cols == 0) {
            return;
        }
        int g = grid.groupFor(cols);
        kernels(x).get("ember_softmax").args().i(log ? 1 : 0).span(x).span(y).i(cols)
                .run(new long[] {(long) rows * g}, new long[] {g});
    }

    @Override
    public void softmaxBackward(boolean log, Span y, Span dy, Span dx, int rows, int cols) {
        checks.sameDtype("softmaxBackward", y, dy, dx);
        for (Span s : new Span[] {y, dy, dx}) {
            Extents.check("softmaxBackward", "operand", s, (long) rows * cols);
        }
        if (cols == 0) {
            return;
        }
        int g = grid.groupFor(cols);
        kernels(y).get("ember_softmax_backward").args().i(log ? 1 : 0).span(y).span(dy).span(dx).i(cols)
                .run(new long[] {(long) rows * g}, new long[] {g});
    }

    // ---------------------------------------------------------------- batch normalisation

    @Override
    public void batchNormTraining(int rows, int cols, Span x, Span gamma, Span beta, double eps, double momentum,
                                  Span runningMean, Span runningVar, Span y, Span savedMean, Span savedInvStd) {
        String op = "batchNormTraining";
        checks.sameDtype(op, x, gamma, beta, runningMean, runningVar, y, savedMean, savedInvStd);
        Extents.check(op, "x", x, (long) rows * cols);
        Extents.check(op, "y", y, (long) rows * cols);
        for (Span s : new Span[] {gamma, beta, runningMean, runningVar, savedMean, savedInvStd}) {
            Extents.check(op, "per-feature operand", s, cols);
        }
        if (rows == 0) {
            return;
        }
        int g = grid.groupFor(rows);
        kernels(x).get("ember_batchnorm_training").args().i(rows).i(cols).span(x).span(gamma).span(beta)
                .real(eps).real(momentum).span(runningMean).span(runningVar).span(y).span(savedMean)
                .span(savedInvStd).run(new long[] {(long) cols * g}, new long[] {g});
    }

    @Override
    public void batchNormInference(int rows, int cols, Span x, Span gamma, Span beta, Span runningMean,
                                   Span runningVar, double eps, Span y) {
        String op = "batchNormInference";
        checks.sameDtype(op, x, gamma, beta, runningMean, runningVar, y);
        Extents.check(op, "x", x, (long) rows * cols);
        Extents.check(op, "y", y, (long) rows * cols);
        for (Span s : new Span[] {gamma, beta, runningMean, runningVar}) {
            Extents.check(op, "per-feature operand", s, cols);
        }
        int n = Math.toIntExact((long) rows * cols);
        kernels(x).get("ember_batchnorm_inference").args().i(rows).i(cols).span(x).span(gamma).span(beta)
                .span(runningMean).span(runningVar).real(eps).span(y).run(grid.linear(n), grid.local());
    }

    @Override
    public void batchNormBackward(int rows, int cols, Span x, Span dy, Span gamma, Span savedMean,
                                  Span savedInvStd, Span dx, Span dgamma, Span dbeta) {
        String op = "batchNormBackward";
        checks.sameDtype(op, x, dy, gamma, savedMean, savedInvStd, dx, dgamma, dbeta);
        for (Span s : new Span[] {x, dy, dx}) {
            Extents.check(op, "matrix operand", s, (long) rows * cols);
        }
        for (Span s : new Span[] {gamma, savedMean, savedInvStd, dgamma, dbeta}) {
            Extents.check(op, "per-feature operand", s, cols);
        }
        if (rows == 0) {
            return;
        }
        int g = grid.groupFor(rows);
        kernels(x).get("ember_batchnorm_backward").args().i(rows).i(cols).span(x).span(dy).span(gamma)
                .span(savedMean).span(savedInvStd).span(dx).span(dgamma).span(dbeta)
                .run(new long[] {(long) cols * g}, new long[] {g});
    }

    // ---------------------------------------------------------------- randomness

    @Override
    public void random(Distribution distribution, double a, double b, long seed, long stream, Span out, int length) {
        checks.buffer(out, null, "random");
        Extents.check("random", "out", out, length);
        // Bernoulli keeps element i when u_i < a; with u = q / 2^24 for an odd integer q that is
        // exactly q < ceil(a * 2^24), so the mask is bit-identical in F32, F64 and on the CPU.
        long keepBelow = (long) Math.ceil(Math.min(Math.max(a, 0.0), 1.0) * (1 << 24));
        int blocks = (int) ((length + 3L) / 4);
        kernels(out).get("ember_random").args().i(OpCodes.code(distribution)).real(a).real(b).i((int) keepBelow)
                .i((int) seed).i((int) (seed >>> 32)).i((int) stream).i((int) (stream >>> 32))
                .span(out).i(length).run(grid.linear(blocks), grid.local());
    }

    // ---------------------------------------------------------------- optimiser updates

    @Override
    public void sgdUpdate(Span param, Span grad, int length, double lr) {
        checks.vectors("sgdUpdate", length, param, grad);
        kernels(param).get("ember_sgd").args().span(param).span(grad).i(length).real(lr)
                .run(grid.linear(length), grid.local());
    }

    @Override
    public void momentumUpdate(Span param, Span grad, Span velocity, int length, double lr, double beta) {
        checks.vectors("momentumUpdate", length, param, grad, velocity);
        kernels(param).get("ember_momentum").args().span(param).span(grad).span(velocity).i(length).real(lr)
                .real(beta).run(grid.linear(length), grid.local());
    }

    @Override
    public void rmspropUpdate(Span param, Span grad, Span meanSquare, int length, double lr, double beta,
                              double eps) {
        checks.vectors("rmspropUpdate", length, param, grad, meanSquare);
        kernels(param).get("ember_rmsprop").args().span(param).span(grad).span(meanSquare).i(length).real(lr)
                .real(beta).real(eps).run(grid.linear(length), grid.local());
    }

    @Override
    public void adamUpdate(Span param, Span grad, Span m, Span v, int length, double lr, double beta1,
                           double beta2, double eps, int step, double weightDecay) {
        checks.vectors("adamUpdate", length, param, grad, m, v);
        adamSettings(kernels(param).get("ember_adam").args().span(param).span(grad).span(m).span(v).i(length),
                lr, beta1, beta2, eps, step, weightDecay).run(grid.linear(length), grid.local());
    }

    /** The hyper-parameters both Adam kernels end with, the bias corrections computed here. */
    private static ClKernel.Launch adamSettings(ClKernel.Launch args, double lr, double beta1, double beta2,
                                                double eps, int step, double weightDecay) {
        // bias corrections in double on the host: 1 - beta^t loses digits in F32 for beta2 = 0.999
        return args.real(lr).real(beta1).real(beta2).real(eps).real(1 - Math.pow(beta1, step))
                .real(1 - Math.pow(beta2, step)).real(weightDecay);
    }

    /** Up to four tensors per launch ({@code ember_adam4}); an unused slot repeats tensor 0's spans with no elements. */
    @Override
    public void adamUpdates(Span[] params, Span[] grads, Span[] ms, Span[] vs, int[] lengths, double lr,
                            double beta1, double beta2, double eps, int step, double weightDecay) {
        for (int i = 0; i < params.length; i++) {
            checks.vectors("adamUpdates", lengths[i], params[i], grads[i], ms[i], vs[i]);
        }
        for (int first = 0; first < params.length; first += 4) {
            ClKernel.Launch args = kernels(params[first]).get("ember_adam4").args();
            int total = 0;
            for (int slot = 0; slot < 4; slot++) {
                int i = first + slot < params.length ? first + slot : first;
                int n = first + slot < params.length ? lengths[i] : 0;
                args.span(params[i]).span(grads[i]).span(ms[i]).span(vs[i]).i(n);
                total += n;
            }
            adamSettings(args, lr, beta1, beta2, eps, step, weightDecay).run(grid.linear(total), grid.local());
        }
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            CL.clFinish(queue);
        } catch (CLException e) {
            // the queue failed earlier; still release what we hold
        }
        for (KernelSet ks : new KernelSet[] {f32, f64, casts}) {
            if (ks != null) {
                ks.release();
            }
        }
        expressions.values().forEach(KernelSet::release);
        expressions.clear();
        for (GemmKernel g : new GemmKernel[] {gemm32, gemm64}) {
            if (g != null) {
                g.release();
            }
        }
        CL.clReleaseCommandQueue(queue);
        context.release();
    }

    // ---------------------------------------------------------------- kernels and launch sizes

    private synchronized KernelSet kernels(DType dtype) {
        ensureOpen();
        if (dtype == DType.F32) {
            if (f32 == null) {
                f32 = new KernelSet(context.programs().get(KernelSources.program(Dialect.OPENCL, KernelSources.COMMON),
                        options(DType.F32)), DType.F32, commands);
            }
            return f32;
        }
        requireDtype(dtype, "kernels");
        if (f64 == null) {
            f64 = new KernelSet(context.programs().get(KernelSources.program(Dialect.OPENCL, KernelSources.COMMON),
                    options(DType.F64)), DType.F64, commands);
        }
        return f64;
    }

    private synchronized KernelSet expressionKernels(Expression expression, DType dtype) {
        ensureOpen();
        requireDtype(dtype, "evaluate");
        return expressions.computeIfAbsent(new ExpressionKey(expression.structure(), dtype), key -> new KernelSet(
                context.programs().get(KernelSources.program(Dialect.OPENCL, KernelSources.EXPRESSION_PRELUDE)
                        + ExpressionSource.render(expression), options(dtype)), dtype, commands));
    }

    /** Number of programs this backend's context has built (for tests of the program cache). */
    int programsBuilt() {
        return context.programs().size();
    }

    /** Programs depend on an expression's structure only: its values are kernel arguments. */
    private record ExpressionKey(Expression.Structure structure, DType dtype) {
    }

    private KernelSet kernels(Span s) {
        return kernels(s.buffer().dtype());
    }

    private synchronized KernelSet castKernels() {
        ensureOpen();
        requireDtype(DType.F64, "cast");
        if (casts == null) {
            casts = new KernelSet(context.programs().get(KernelSources.program(Dialect.OPENCL, "cast.cl"), options(DType.F64)),
                    DType.F64, commands);
        }
        return casts;
    }

    private synchronized GemmKernel gemm(DType dtype) {
        ensureOpen();
        requireDtype(dtype, "gemm");
        if (dtype == DType.F32) {
            if (gemm32 == null) {
                gemm32 = new GemmKernel(context, commands, dtype, options(dtype));
            }
            return gemm32;
        }
        if (gemm64 == null) {
            gemm64 = new GemmKernel(context, commands, dtype, options(dtype));
        }
        return gemm64;
    }

    /** Build options: the element type, and the local-array size of the work-group kernels. */
    private String options(DType dtype) {
        return (dtype == DType.F32 ? "-DREAL=float" : "-DREAL=double -DEMBER_F64") + " -DEMBER_WG=" + grid.group();
    }

    // ---------------------------------------------------------------- argument checks

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("opencl: backend on " + device.name() + " is closed");
        }
    }

    private void requireDtype(DType dtype, String operation) {
        if (dtype == DType.F64 && !device.fp64()) {
            throw new UnsupportedOperationException(operation + ": device " + device.name()
                    + " has no cl_khr_fp64, so the opencl backend cannot hold F64 tensors here; use the cpu backend"
                    + " for F64 work");
        }
    }

    private void transfer(String operation, Runnable call) {
        try {
            call.run();
        } catch (CLException e) {
            throw ClErrors.wrap(operation + " on " + device.name(), e);
        }
    }
}
