package dev.ember.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;

import java.util.HashMap;
import java.util.Map;

/**
 * One OpenCL context per device, shared by every backend instance on that device so that programs
 * are compiled once (PoCL takes about a second per program). Reference-counted: the last backend
 * to close releases the programs and the context.
 */
final class OpenClContext {
    private static final Map<String, OpenClContext> SHARED = new HashMap<>();

    private final DeviceInfo device;
    private final cl_context context;
    private final ProgramCache programs;
    private int users;

    private OpenClContext(DeviceInfo device) {
        this.device = device;
        try {
            this.context = CL.clCreateContext(null, 1, new cl_device_id[] {device.device()}, null, null, null);
        } catch (CLException e) {
            throw ClErrors.wrap("clCreateContext on " + device.name(), e);
        }
        this.programs = new ProgramCache(context, device);
    }

    static OpenClContext acquire(DeviceInfo device) {
        synchronized (SHARED) {
            OpenClContext c = SHARED.computeIfAbsent(device.key(), k -> new OpenClContext(device));
            c.users++;
            return c;
        }
    }

    void release() {
        synchronized (SHARED) {
            if (--users == 0) {
                SHARED.remove(device.key());
                programs.releaseAll();
                // buffers still alive keep the underlying context alive (OpenCL reference counting)
                CL.clReleaseContext(context);
            }
        }
    }

    DeviceInfo device() {
        return device;
    }

    cl_context handle() {
        return context;
    }

    ProgramCache programs() {
        return programs;
    }

    /** A new in-order queue: commands run in the order they are enqueued, so kernels need no events. */
    cl_command_queue newQueue() {
        try {
            @SuppressWarnings("deprecation") // clCreateCommandQueueWithProperties is OpenCL 2.0+; this works on 1.2 too
            cl_command_queue queue = CL.clCreateCommandQueue(context, device.device(), 0, null);
            return queue;
        } catch (CLException e) {
            throw ClErrors.wrap("clCreateCommandQueue on " + device.name(), e);
        }
    }
}
