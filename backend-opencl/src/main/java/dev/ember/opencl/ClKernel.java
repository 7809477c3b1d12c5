package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.KernelLaunchEvent;
import dev.ember.core.spi.Span;
import dev.ember.gpu.KernelArgs;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.util.ArrayList;
import java.util.List;

/**
 * One kernel object and the way to launch it: arguments are collected first and then set and
 * enqueued under the kernel's lock, because a cl_kernel's arguments are shared state.
 */
final class ClKernel {
    private final String name;
    private final cl_kernel handle;
    private final DType dtype;
    private final DeviceQueue queue;

    ClKernel(String name, cl_kernel handle, DType dtype, DeviceQueue queue) {
        this.name = name;
        this.handle = handle;
        this.dtype = dtype;
        this.queue = queue;
    }

    String name() {
        return name;
    }

    cl_kernel handle() {
        return handle;
    }

    /** Starts an argument list for one launch. */
    Launch args() {
        return new Launch();
    }

    void release() {
        CL.clReleaseKernel(handle);
    }

    /** The arguments of one launch, in kernel parameter order. */
    final class Launch implements KernelArgs {
        private final List<Object> values = new ArrayList<>();

        @Override
        public Launch span(Span s) {
            values.add(((OpenClBuffer) s.buffer()).mem);
            values.add(s.offset());
            return this;
        }

        @Override
        public Launch buffer(DeviceBuffer buffer, int offset) {
            values.add(((OpenClBuffer) buffer).mem);
            values.add(offset);
            return this;
        }

        @Override
        public Launch i(int v) {
            values.add(v);
            return this;
        }

        @Override
        public Launch real(double v) {
            values.add(dtype == DType.F32 ? (Object) (float) v : (Object) v);
            return this;
        }

        /** Enqueues without waiting; {@code local} may be null to let the driver choose. */
        @Override
        public void run(long[] global, long[] local) {
            for (long g : global) {
                if (g <= 0) {
                    return; // empty range: nothing to do, and OpenCL rejects a zero global size
                }
            }
            synchronized (ClKernel.this) {
                try {
                    for (int i = 0; i < values.size(); i++) {
                        setArg(i, values.get(i));
                    }
                    KernelLaunchEvent event = KernelLaunchEvent.start();
                    CL.clEnqueueNDRangeKernel(queue.handle(), handle, global.length, null, global, local, 0, null, null);
                    queue.kernelLaunched();
                    if (event != null) {
                        event.commit(OpenClProvider.NAME, name, workItems(global));
                    }
                } catch (CLException e) {
                    throw ClErrors.wrap(name, e);
                }
            }
        }

        private static long workItems(long[] global) {
            long n = 1;
            for (long g : global) {
                n *= g;
            }
            return n;
        }

        private void setArg(int index, Object v) {
            switch (v) {
                case cl_mem m -> CL.clSetKernelArg(handle, index, Sizeof.cl_mem, Pointer.to(m));
                case Integer x -> CL.clSetKernelArg(handle, index, Sizeof.cl_int, Pointer.to(new int[] {x}));
                case Float x -> CL.clSetKernelArg(handle, index, Sizeof.cl_float, Pointer.to(new float[] {x}));
                case Double x -> CL.clSetKernelArg(handle, index, Sizeof.cl_double, Pointer.to(new double[] {x}));
                default -> throw new IllegalStateException(name + ": unsupported kernel argument " + v);
            }
        }
    }
}
