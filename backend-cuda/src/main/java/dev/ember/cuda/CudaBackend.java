package dev.ember.cuda;

import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.spi.BufferAccounting;
import dev.ember.core.spi.DerivedOps;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;
import dev.ember.gpu.DialectBackend;
import dev.ember.gpu.ExpressionSource;
import dev.ember.gpu.Extents;
import dev.ember.gpu.KernelArgs;
import dev.ember.gpu.KernelSources;
import dev.ember.gpu.KernelSources.Dialect;
import dev.ember.gpu.LaunchGrid;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

import java.util.Objects;

/**
 * The CUDA backend: buffers are device memory from the stream-ordered allocator, every operation
 * enqueues kernels on this instance's stream without waiting; {@link #read} and {@link #synchronize}
 * wait. The element-wise, reduction, softmax, batch-norm, random and optimiser kernels are the very
 * dialect files the OpenCL backend runs ({@link DialectBackend}), compiled to PTX by {@code nvcc} at
 * build time; GEMM is this module's own kernel ({@link GemmPlan}); fused expressions are rendered
 * to CUDA C and compiled by NVRTC when it is installed.
 *
 * <p><b>Threads.</b> Like the other backends: one instance may be used from several threads, and
 * operations are enqueued in the order their calls return.
 */
public final class CudaBackend extends DialectBackend<CudaBuffer> {
    private final CudaContext context;
    private final CudaDevice device;
    private final CudaStream stream;
    private final KernelImages images;
    private final CudaSettings settings;
    private final Nvrtc nvrtc = CudaLibraries.nvrtc();
    /** cuBLAS when the {@code gemm=cublas} option chose it; null runs Ember's own GEMM. */
    private final CublasGemm cublas;
    private final BufferAccounting accounting = new BufferAccounting(CudaProvider.NAME);
    private volatile boolean closed;

    CudaBackend(CudaDevice device, KernelImages images, CudaSettings settings) {
        super(CudaBuffer.class, CudaBuffer::isReleased,
                new LaunchGrid(device.maxThreadsPerBlock(), device.multiprocessors(), false));
        if (grid.group() != CudaCompileOptions.GROUP_SIZE) {   // the kernels' shared arrays have this size
            throw new IllegalStateException("cuda: " + device.name() + " runs blocks of at most "
                    + device.maxThreadsPerBlock() + " threads; the kernels were built for blocks of "
                    + CudaCompileOptions.GROUP_SIZE);
        }
        this.device = device;
        this.images = images;
        this.settings = settings;
        this.context = CudaContext.acquire(device);
        try {
            context.bind();
            this.stream = new CudaStream();
            this.cublas = settings.cublas() ? CublasGemm.open(settings.tf32(), stream) : null;
        } catch (RuntimeException e) {
            context.release();
            throw e;
        }
    }

    @Override
    public String name() {
        return CudaProvider.NAME;
    }

    @Override
    public String device() {
        return device.describe();
    }

    /** The device this backend runs on. */
    public CudaDevice deviceInfo() {
        return device;
    }

    /** Kernel launches enqueued so far by this backend. */
    public long launches() {
        return stream.launches();
    }

    // ---------------------------------------------------------------- memory

    @Override
    public DeviceBuffer allocate(DType dtype, int length) {
        if (length < 1) {
            throw new IllegalArgumentException("allocate: length must be >= 1, got " + length);
        }
        Objects.requireNonNull(dtype, "allocate: dtype");
        long bytes = (long) length * dtype.bytes();
        long live = accounting.snapshot().liveBytes();
        settings.memoryLimit().check(CudaProvider.NAME, bytes, live);
        if (bytes > device.totalBytes() - live) {
            throw new OutOfDeviceMemoryException(CudaProvider.NAME, bytes, Math.max(0, device.totalBytes() - live),
                    "the memory of " + device.name() + " (" + device.totalBytes() + " bytes)", null);
        }
        bind();
        CUdeviceptr pointer = new CUdeviceptr();
        int result = device.memoryPools()
                ? JCudaDriver.cuMemAllocAsync(pointer, bytes, stream.handle())
                : JCudaDriver.cuMemAlloc(pointer, bytes);
        if (result == Cuda.ERROR_OUT_OF_MEMORY) {
            throw new OutOfDeviceMemoryException(CudaProvider.NAME, bytes, freeBytes(),
                    "the free memory of " + device.name() + " (cuMemGetInfo)",
                    new CudaCallException("allocate " + bytes + " bytes", "cuMemAlloc", result));
        }
        Cuda.check(result, "allocate " + length + " x " + dtype + " (" + bytes + " bytes)", "cuMemAlloc");
        // new buffers read as zeros, as on every backend; F32 and F64 are whole 32-bit words
        Cuda.check(JCudaDriver.cuMemsetD32Async(pointer, 0, bytes / 4, stream.handle()), "zero-fill " + bytes
                + " bytes", "cuMemsetD32Async");
        accounting.allocated(bytes);
        return new CudaBuffer(this, dtype, length, pointer);
    }

    private long freeBytes() {
        long[] free = {0};
        long[] total = {0};
        return JCudaDriver.cuMemGetInfo(free, total) == Cuda.SUCCESS ? free[0] : -1;
    }

    @Override
    public void free(DeviceBuffer buffer) {
        CudaBuffer b = checks.own(buffer, "free");
        if (b.markReleased()) {
            accounting.freed(b.bytes());
            if (closed) {
                return;   // the stream is gone; the context frees its memory when its last user releases it
            }
            context.bind();   // may run on the reclaimer's thread: bind there too
            int result = device.memoryPools()
                    ? JCudaDriver.cuMemFreeAsync(b.pointer(), stream.handle())   // after the kernels queued before
                    : JCudaDriver.cuMemFree(b.pointer());
            Cuda.check(result, "free " + b.bytes() + " bytes", "cuMemFree");
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

    /** A synchronous copy on the legacy stream: it waits for this blocking stream's kernels, and they for it. */
    private void copyIn(Span dst, DType dtype, Pointer host, int hostOffset, int length) {
        CudaBuffer b = checks.buffer(dst, dtype, "write");
        Extents.check("write", "destination", dst, length);
        if (length > 0) {
            long size = dtype.bytes();
            bind();
            Cuda.check(JCudaDriver.cuMemcpyHtoD(b.pointer().withByteOffset(size * dst.offset()),
                    host.withByteOffset(size * hostOffset), size * length), "write " + length + " x " + dtype,
                    "cuMemcpyHtoD");
            accounting.copiedToDevice(size * length);
        }
    }

    private void copyOut(Span src, DType dtype, Pointer host, int hostOffset, int length) {
        CudaBuffer b = checks.buffer(src, dtype, "read");
        Extents.check("read", "source", src, length);
        if (length > 0) {
            long size = dtype.bytes();
            bind();
            Cuda.check(JCudaDriver.cuMemcpyDtoH(host.withByteOffset(size * hostOffset),
                    b.pointer().withByteOffset(size * src.offset()), size * length), "read " + length + " x " + dtype,
                    "cuMemcpyDtoH");
            accounting.copiedToHost(size * length);
        }
    }

    @Override
    public void synchronize() {
        bind();
        stream.synchronize("synchronize");
    }

    // ---------------------------------------------------------------- linear algebra

    @Override
    protected void checkedGemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha, Span a,
                               int lda, Span b, int ldb, double beta, Span c, int ldc) {
        bind();
        if (cublas != null) {
            cublas.gemm(dtype, transA, transB, m, n, k, alpha, address(a), lda, address(b), ldb, beta, address(c), ldc);
            return;
        }
        GemmPlan plan = GemmPlan.choose(dtype, transA, transB, m, n, k, a.offset(), lda, b.offset(), ldb, c.offset(),
                ldc, settings.tf32(), device.major());
        gemmKernel(plan.kernel()).args(stream).i(m).i(n).i(k).real(alpha).span(a).i(lda).span(b).i(ldb)
                .real(beta).span(c).i(ldc)
                .launch(plan.gridX(), plan.gridY(), plan.gridZ(), plan.blockX(), plan.blockY(), plan.blockZ(),
                        plan.sharedBytes());
    }

    private static long address(Span s) {
        return DeviceAddress.of(((CudaBuffer) s.buffer()).pointer()) + (long) s.offset() * s.buffer().dtype().bytes();
    }

    private CudaKernel gemmKernel(String kernel) {
        String module = GemmPlan.moduleOf(kernel);
        return context.module(module, () -> images.ptx(module)).kernel(kernel);
    }

    // ---------------------------------------------------------------- fused expressions

    /** One NVRTC-compiled kernel per expression structure; without NVRTC, the primitives one by one. */
    @Override
    public void evaluate(Expression expression, int rows, int cols, Operand[] inputs, Span[] outputs) {
        if (nvrtc.available()) {
            super.evaluate(expression, rows, cols, inputs, outputs);
        } else {
            DerivedOps.evaluate(this, expression, rows, cols, inputs, outputs);
        }
    }

    @Override
    protected KernelArgs expressionLaunch(Expression expression, DType dtype) {
        bind();
        String key = "expression/" + dtype + "/" + expression.structure();
        return context.module(key, () -> CudaModule.image(nvrtc.compile(
                KernelSources.program(Dialect.CUDA, KernelSources.EXPRESSION_PRELUDE) + ExpressionSource.render(expression),
                "ember_expression.cu", CudaCompileOptions.options(dtype))))
                .kernel(ExpressionSource.KERNEL).args(stream);
    }

    // ---------------------------------------------------------------- shared dialect kernels

    @Override
    protected KernelArgs launch(DType dtype, String kernel) {
        bind();
        String module = dtype == DType.F32 ? KernelImages.F32 : KernelImages.F64;
        return context.module(module, () -> images.ptx(module)).kernel(kernel).args(stream);
    }

    @Override
    protected KernelArgs castLaunch(String kernel) {
        return launch(DType.F64, kernel);   // cast.cl is part of the F64 module
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            context.bind();
            stream.synchronize("close");
        } catch (CudaCallException e) {
            // the stream failed earlier; still release what we hold
        }
        stream.destroy();
        if (cublas != null) {
            cublas.close();
        }
        context.release();
    }

    private void bind() {
        if (closed) {
            throw new IllegalStateException("cuda: backend on " + device.name() + " is closed");
        }
        context.bind();
    }
}
