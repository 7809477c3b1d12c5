package dev.ember.opencl;

import dev.ember.core.DType;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_program;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The kernel objects one backend instance creates from one built program, made on first use. */
final class KernelSet {
    private final cl_program program;
    private final DType dtype;
    private final DeviceQueue queue;
    private final Map<String, ClKernel> kernels = new ConcurrentHashMap<>();

    KernelSet(cl_program program, DType dtype, DeviceQueue queue) {
        this.program = program;
        this.dtype = dtype;
        this.queue = queue;
    }

    ClKernel get(String name) {
        return kernels.computeIfAbsent(name, n -> {
            try {
                return new ClKernel(n, CL.clCreateKernel(program, n, null), dtype, queue);
            } catch (CLException e) {
                throw ClErrors.wrap("clCreateKernel " + n, e);
            }
        });
    }

    void release() {
        kernels.values().forEach(ClKernel::release);
        kernels.clear();
    }
}
