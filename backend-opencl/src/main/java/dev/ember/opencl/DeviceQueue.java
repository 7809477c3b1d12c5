package dev.ember.opencl;

import org.jocl.cl_command_queue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend's in-order command queue and the count of what was enqueued on it: kernel launches
 * and buffer fills, the commands a traced step saves (the benchmark reports them per step).
 */
final class DeviceQueue {
    private final cl_command_queue handle;
    private final AtomicLong kernels = new AtomicLong();
    private final AtomicLong fills = new AtomicLong();

    DeviceQueue(cl_command_queue handle) {
        this.handle = handle;
    }

    cl_command_queue handle() {
        return handle;
    }

    void kernelLaunched() {
        kernels.incrementAndGet();
    }

    void bufferFilled() {
        fills.incrementAndGet();
    }

    CommandCounts counts() {
        return new CommandCounts(kernels.get(), fills.get());
    }
}
