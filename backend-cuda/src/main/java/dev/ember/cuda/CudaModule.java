package dev.ember.cuda;

import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One loaded PTX module (the driver JIT-compiles it for the device) and its kernels, looked up on first use. */
final class CudaModule {
    private final String name;
    private final CUmodule module;
    private final Map<String, PtxEntries.Entry> entries;
    private final Map<String, CudaKernel> kernels = new ConcurrentHashMap<>();

    private CudaModule(String name, CUmodule module, Map<String, PtxEntries.Entry> entries) {
        this.name = name;
        this.module = module;
        this.entries = entries;
    }

    /**
     * Loads {@code image} (PTX text and a terminating NUL, as cuModuleLoadData reads it) into the current
     * context.
     */
    static CudaModule load(String name, byte[] image) {
        CUmodule module = new CUmodule();
        int result = JCudaDriver.cuModuleLoadData(module, image);
        if (result == Cuda.ERROR_UNSUPPORTED_PTX_VERSION) {
            throw new CudaCallException("load module " + name + " (the driver is older than the toolkit that wrote"
                    + " this PTX; update the NVIDIA driver)", "cuModuleLoadData", result);
        }
        Cuda.check(result, "load module " + name, "cuModuleLoadData");
        return new CudaModule(name, module, PtxEntries.of(image));
    }

    /** {@code ptx} as a module image: its bytes and a terminating NUL. */
    static byte[] image(String ptx) {
        byte[] text = ptx.getBytes(StandardCharsets.US_ASCII);
        byte[] image = new byte[text.length + 1];
        System.arraycopy(text, 0, image, 0, text.length);
        return image;
    }

    /** The kernel {@code kernel}, with the parameter count its PTX declares. */
    CudaKernel kernel(String kernel) {
        return kernels.computeIfAbsent(kernel, k -> {
            PtxEntries.Entry entry = entries.get(k);
            if (entry == null) {
                throw new IllegalStateException("cuda: module " + name + " has no kernel " + k + " (it has "
                        + entries.keySet() + ")");
            }
            CUfunction function = new CUfunction();
            Cuda.check(JCudaDriver.cuModuleGetFunction(function, module, k), "find kernel " + k,
                    "cuModuleGetFunction");
            return new CudaKernel(k, function, entry.paramTypes());
        });
    }

    void unload() {
        kernels.clear();
        JCudaDriver.cuModuleUnload(module);
    }
}
