package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.BufferAccounting;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Span;
import dev.ember.gpu.ExpressionSource;
import dev.ember.gpu.Extents;
import dev.ember.gpu.KernelSources;
import dev.ember.gpu.KernelSources.Dialect;
import dev.ember.gpu.DialectBackend;
import dev.ember.gpu.KernelArgs;
import dev.ember.gpu.LaunchGrid;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_mem;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The OpenCL backend: buffers are {@code cl_mem}, every operation enqueues one kernel on this
 * instance's in-order queue without waiting; {@link #read} and {@link #synchronize} wait. The shared
 * dialect kernels' host side is {@link DialectBackend}; this class adds OpenCL's memory, transfers, GEMM
 * and program building. The arithmetic is in gpu-kernels' {@code .cl} files.
 */
public final class OpenClBackend extends DialectBackend<OpenClBuffer> {
    private final OpenClContext context;
    private final DeviceInfo device;
    private final cl_command_queue queue;
    private final DeviceQueue commands;
    private final BufferAccounting accounting = new BufferAccounting(name());
    private final MemoryBudget budget;
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
        super(OpenClBuffer.class, OpenClBuffer::isReleased,
                new LaunchGrid(device.maxWorkGroupSize(), device.computeUnits(), device.isCpu()));
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




    // ---------------------------------------------------------------- linear algebra

    @Override
    protected void checkedGemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha, Span a,
                               int lda, Span b, int ldb, double beta, Span c, int ldc) {
        gemm(dtype).run(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // ---------------------------------------------------------------- element-wise





    // ---------------------------------------------------------------- activations






    // ---------------------------------------------------------------- batch normalisation




    // ---------------------------------------------------------------- randomness


    // ---------------------------------------------------------------- optimiser updates







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

    @Override
    protected KernelArgs launch(DType dtype, String kernel) {
        return kernels(dtype).get(kernel).args();
    }

    @Override
    protected KernelArgs castLaunch(String kernel) {
        return castKernels().get(kernel).args();
    }

    @Override
    protected KernelArgs expressionLaunch(Expression expression, DType dtype) {
        return expressionKernels(expression, dtype).get(ExpressionSource.KERNEL).args();
    }

    /** Number of programs this backend's context has built (for tests of the program cache). */
    int programsBuilt() {
        return context.programs().size();
    }

    /** Programs depend on an expression's structure only: its values are kernel arguments. */
    private record ExpressionKey(Expression.Structure structure, DType dtype) {
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
