package dev.ember.cuda;

import dev.ember.gpu.CStrings;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The NVIDIA driver as Ember reaches it through JCuda: loaded and initialised once per JVM. Every
 * way this can fail becomes a sentence saying why CUDA cannot run here, never an exception from a
 * probe.
 */
final class CudaDriver {
    private static String failure;
    private static boolean initialised;

    private CudaDriver() {
    }

    /** Null when the driver is initialised, else why CUDA cannot run on this machine. */
    static synchronized String initialise() {
        if (!initialised) {
            failure = tryInit();
            initialised = true;
        }
        return failure;
    }

    private static String tryInit() {
        int result;
        try {
            result = JCudaDriver.cuInit(0);
        } catch (LinkageError e) {
            return nativeFailure(e);
        }
        return switch (result) {
            case Cuda.SUCCESS -> null;
            case Cuda.ERROR_STUB_LIBRARY -> "the libcuda.so.1 found is the CUDA toolkit's stub, not a driver: no NVIDIA"
                    + " driver is installed (cuInit: CUDA_ERROR_STUB_LIBRARY)";
            case Cuda.ERROR_NO_DEVICE -> "the NVIDIA driver is installed but sees no CUDA device (cuInit:"
                    + " CUDA_ERROR_NO_DEVICE)";
            case Cuda.ERROR_INSUFFICIENT_DRIVER -> "the NVIDIA driver is older than the CUDA runtime JCuda expects"
                    + " (cuInit: CUDA_ERROR_INSUFFICIENT_DRIVER)";
            default -> "cuInit failed with " + Cuda.errorName(result) + " (" + result + ")";
        };
    }

    /** The loader's own line in JCuda's long report: "libcuda.so.1: cannot open shared object file: ...". */
    private static final Pattern CANNOT_OPEN = Pattern.compile("(lib[\\w.+-]+\\.so[\\w.]*): cannot open shared object"
            + " file: No such file or directory");

    /**
     * Why JCuda's native library did not load, in one line. Its JNI library links {@code libcuda.so.1},
     * the driver; a machine without an NVIDIA driver fails here, which is the commonest case. JCuda's
     * message holds every attempt with its stack trace, so only the loader's line is kept.
     */
    static String nativeFailure(Throwable e) {
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                messages.append(messages.isEmpty() ? "" : "\n").append(t.getMessage());
            }
        }
        Matcher missing = CANNOT_OPEN.matcher(messages);
        while (missing.find()) {
            if (missing.group(1).startsWith("libcuda.so")) {
                return "libcuda.so.1 (the NVIDIA driver) was not found: no NVIDIA driver is installed here ("
                        + missing.group() + ")";
            }
        }
        missing.reset();
        String detail = missing.find() ? missing.group() : messages.toString().strip().lines().findFirst().orElse("");
        return "JCuda's native library failed to load (" + e.getClass().getSimpleName() + ": " + detail + ")";
    }

    /** The CUDA devices, after a successful {@link #initialise()}. */
    static List<CudaDevice> devices() {
        int[] count = {0};
        Cuda.check(JCudaDriver.cuDeviceGetCount(count), "list devices", "cuDeviceGetCount");
        int[] driver = {0};
        Cuda.check(JCudaDriver.cuDriverGetVersion(driver), "list devices", "cuDriverGetVersion");
        List<CudaDevice> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            CUdevice device = new CUdevice();
            Cuda.check(JCudaDriver.cuDeviceGet(device, i), "list devices", "cuDeviceGet(" + i + ")");
            byte[] name = new byte[256];
            Cuda.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "list devices", "cuDeviceGetName");
            long[] total = {0};
            Cuda.check(JCudaDriver.cuDeviceTotalMem(total, device), "list devices", "cuDeviceTotalMem");
            devices.add(new CudaDevice(i, CStrings.of(name),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT),
                    total[0],
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK),
                    attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED) != 0,
                    driver[0]));
        }
        return devices;
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] value = {0};
        Cuda.check(JCudaDriver.cuDeviceGetAttribute(value, attribute, device), "list devices",
                "cuDeviceGetAttribute(" + attribute + ")");
        return value[0];
    }
}
