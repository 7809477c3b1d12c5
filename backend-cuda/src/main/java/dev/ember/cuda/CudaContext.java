package dev.ember.cuda;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A device's primary context, shared by every backend on that device (as the CUDA runtime shares it),
 * with the modules loaded into it. The driver's current context is per OS thread, and a virtual
 * thread can move between OS threads, so every operation calls {@link #bind()} first.
 */
final class CudaContext {
    private static final Map<Integer, CudaContext> OPEN = new HashMap<>();

    private final CudaDevice device;
    private final CUdevice handle = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Map<String, CudaModule> modules = new ConcurrentHashMap<>();
    private int users;

    private CudaContext(CudaDevice device) {
        this.device = device;
        Cuda.check(JCudaDriver.cuDeviceGet(handle, device.index()), "open " + device.name(), "cuDeviceGet");
        Cuda.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, handle), "open " + device.name(),
                "cuDevicePrimaryCtxRetain");
    }

    /** The context of {@code device}, retained once more. */
    static CudaContext acquire(CudaDevice device) {
        synchronized (OPEN) {
            CudaContext c = OPEN.computeIfAbsent(device.index(), i -> new CudaContext(device));
            c.users++;
            return c;
        }
    }

    /** Gives back one {@link #acquire}; the last one unloads the modules and releases the context. */
    void release() {
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            OPEN.remove(device.index());
            bind();
            modules.values().forEach(CudaModule::unload);
            modules.clear();
            JCudaDriver.cuDevicePrimaryCtxRelease(handle);
        }
    }

    CudaDevice device() {
        return device;
    }

    /** Makes this context current on the calling OS thread. */
    void bind() {
        Cuda.check(JCudaDriver.cuCtxSetCurrent(context), "bind the context of " + device.name(), "cuCtxSetCurrent");
    }

    /** The module {@code key}, loaded from its image on first use (the driver JIT-compiles the PTX once). */
    CudaModule module(String key, Supplier<byte[]> image) {
        return modules.computeIfAbsent(key, k -> CudaModule.load(k, image.get()));
    }
}
