package dev.ember.cuda;

import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.KernelLaunchEvent;
import dev.ember.core.spi.Span;
import dev.ember.gpu.KernelArgs;
import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.JCudaDriver;

import java.lang.foreign.Arena;
import java.util.List;

/**
 * One kernel of a loaded module. A launch collects its arguments into one native block
 * ({@link KernelParameters}), each checked against the PTX's declared parameter type (which also
 * gives a {@code real} its width), and their number before enqueueing.
 * Unlike an OpenCL kernel object a {@code CUfunction} holds no argument state, so launches from
 * several threads need no lock.
 */
final class CudaKernel {
    private final String name;
    private final CUfunction function;
    private final List<String> params;
    /** The dynamic shared memory this function may take, raised above the 48 KiB default on demand. */
    private volatile int sharedLimit = DEFAULT_SHARED_LIMIT;
    private static final int DEFAULT_SHARED_LIMIT = 48 * 1024;

    /** A kernel whose parameters have these PTX types ({@code u64} pointers, {@code u32} ints, {@code f32}/{@code f64} reals). */
    CudaKernel(String name, CUfunction function, List<String> params) {
        this.name = name;
        this.function = function;
        this.params = List.copyOf(params);
    }

    String name() {
        return name;
    }

    /** Starts the arguments of one launch on {@code stream}. */
    Launch args(CudaStream stream) {
        return new Launch(stream);
    }

    /** Kernels that take more than 48 KiB of dynamic shared memory must say so once (sm_80 and newer allow it). */
    private synchronized void raiseSharedLimit(int bytes) {
        if (bytes > sharedLimit) {
            Cuda.check(JCudaDriver.cuFuncSetAttribute(function,
                    CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES, bytes),
                    "allow " + name + " " + bytes + " bytes of shared memory", "cuFuncSetAttribute");
            sharedLimit = bytes;
        }
    }

    /** The arguments of one launch, in kernel parameter order. */
    final class Launch implements KernelArgs {
        private final CudaStream stream;
        private final KernelParameters values = new KernelParameters();

        private Launch(CudaStream stream) {
            this.stream = stream;
        }

        @Override
        public Launch span(Span s) {
            return buffer(s.buffer(), s.offset());
        }

        @Override
        public Launch buffer(DeviceBuffer buffer, int offset) {
            expect("a pointer", "u64", "b64", "s64");
            values.add64(DeviceAddress.of(((CudaBuffer) buffer).pointer()));
            return i(offset);
        }

        @Override
        public Launch i(int v) {
            expect("an int", "u32", "s32", "b32");
            values.add32(v);
            return this;
        }

        /** A scalar of the kernel's {@code real} type, which the PTX declares: {@code f32} or {@code f64}. */
        @Override
        public Launch real(double v) {
            String type = expect("a real", "f32", "f64");
            if (type.equals("f32")) {
                values.add32(Float.floatToRawIntBits((float) v));
            } else {
                values.add64(Double.doubleToRawLongBits(v));
            }
            return this;
        }

        /** The PTX type of the next parameter, which must be one of {@code types}: a wrong argument list fails here. */
        private String expect(String what, String... types) {
            int at = values.count();
            if (at >= params.size()) {
                throw new IllegalStateException("cuda: kernel " + name + " takes " + params.size()
                        + " parameters, the host passes more");
            }
            String type = params.get(at);
            for (String t : types) {
                if (t.equals(type)) {
                    return type;
                }
            }
            throw new IllegalStateException("cuda: kernel " + name + " parameter " + at + " is ." + type
                    + ", the host passes " + what);
        }

        /** OpenCL-style sizes: {@code global[d] / local[d]} blocks of {@code local[d]} threads. */
        @Override
        public void run(long[] global, long[] local) {
            int[] grid = {1, 1, 1};
            int[] block = {1, 1, 1};
            for (int d = 0; d < global.length; d++) {
                if (global[d] <= 0) {
                    return; // empty range: nothing to do
                }
                block[d] = Math.toIntExact(local[d]);
                if (global[d] % local[d] != 0) {
                    throw new IllegalStateException("cuda: " + name + ": global size " + global[d]
                            + " is not a multiple of the block size " + local[d] + " in dimension " + d);
                }
                grid[d] = Math.toIntExact(global[d] / local[d]);
            }
            launch(grid[0], grid[1], grid[2], block[0], block[1], block[2], 0);
        }

        /** Enqueues {@code grid} blocks of {@code block} threads with {@code sharedBytes} of dynamic shared memory. */
        void launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes) {
            if (values.count() != params.size()) {
                throw new IllegalStateException("cuda: kernel " + name + " takes " + params.size()
                        + " parameters, the host passed " + values.count());
            }
            if (sharedBytes > sharedLimit) {
                raiseSharedLimit(sharedBytes);
            }
            KernelLaunchEvent event = KernelLaunchEvent.start();
            try (Arena arena = Arena.ofConfined()) {
                Cuda.check(JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                        sharedBytes, stream.handle(), Pointer.to(values.pack(arena).asByteBuffer()), null),
                        "launch " + name, "cuLaunchKernel");
            }
            stream.launched();
            if (event != null) {
                event.commit(CudaProvider.NAME, name, (long) gridX * gridY * gridZ * blockX * blockY * blockZ);
            }
        }
    }
}
