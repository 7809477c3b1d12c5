package dev.ember.gpu;

import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

/**
 * The arguments of one kernel launch, in the kernel's parameter order, then the launch itself. Each
 * backend implements it over its own kernel objects (a {@code cl_kernel}, a {@code CUfunction}).
 */
public interface KernelArgs {
    /** A span is two parameters: the buffer and the element offset (kernels index {@code p[off + i]}). */
    KernelArgs span(Span s);

    /** A buffer and an explicit element offset (for calls split on the host). */
    KernelArgs buffer(DeviceBuffer buffer, int offset);

    KernelArgs i(int v);

    /** A scalar of the kernel's element type ({@code real}). */
    KernelArgs real(double v);

    /**
     * Enqueues without waiting, as OpenCL's NDRange: {@code global} work-items in groups of {@code local}
     * (each global size a multiple of its local size). An empty range launches nothing.
     */
    void run(long[] global, long[] local);
}
