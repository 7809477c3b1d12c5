package dev.ember.cuda;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.InvalidOptionException;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.core.spi.Probe;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CUDA backend's entry point. Priority 200: {@code auto} prefers an NVIDIA GPU through CUDA to
 * the same GPU through OpenCL (150) and to the CPU backend (50). Options: {@code device} (an index,
 * {@code -Dember.cuda.device}), {@code memoryLimit}, {@code tf32} ({@code true} lets large F32 GEMMs
 * use TF32 tensor cores) and {@code gemm} ({@code ember}, the default, or {@code cublas}).
 *
 * <p>The probe never throws; when CUDA cannot run it says exactly why: JCuda's native library did
 * not load, {@code libcuda.so.1} (the driver) is missing, the driver is older than the PTX the
 * build produced, there is no device, or the kernels were not built (no {@code nvcc} at build time).
 */
public final class CudaProvider implements BackendProvider {
    public static final String NAME = "cuda";
    public static final int PRIORITY = 200;
    static final String DEVICE = "device";
    private static final Set<String> OPTIONS = Set.of(DEVICE, MemoryLimit.OPTION, CudaSettings.TF32,
            CudaSettings.GEMM);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> options() {
        return OPTIONS;
    }

    @Override
    public Probe probe() {
        try {
            BackendOptions options = BackendOptions.of(NAME, OPTIONS, Map.of());
            CudaSettings.of(options);   // a bad property is the user's mistake, whatever the machine
            Target target = target(options);
            return Probe.available(target.device().describe() + "; " + CudaLibraries.describe(), PRIORITY);
        } catch (Unusable e) {
            return Probe.unavailable(e.reason, PRIORITY);
        } catch (InvalidOptionException e) {
            return Probe.misconfigured(e.getMessage(), PRIORITY);
        } catch (LinkageError e) {
            return Probe.unavailable(CudaDriver.nativeFailure(e), PRIORITY);
        } catch (RuntimeException e) {
            return Probe.unavailable(e.getClass().getSimpleName() + ": " + e.getMessage(), PRIORITY);
        }
    }

    /** Null when the jar's kernels can run on {@code device}'s driver, else why not. */
    static String kernelProblem(KernelImages images, CudaDevice device) {
        if (!images.built()) {
            return "the CUDA kernels were not built into this jar (" + images.reason() + "); build Ember on a"
                    + " machine with nvcc (CUDA toolkit) to get them";
        }
        if (device.driverVersion() < images.toolkitVersion()) {
            return "the NVIDIA driver supports CUDA " + CudaDevice.version(device.driverVersion())
                    + ", older than the CUDA " + CudaDevice.version(images.toolkitVersion()) + " toolkit that"
                    + " built the kernels' PTX: loading it would fail with CUDA_ERROR_UNSUPPORTED_PTX_VERSION;"
                    + " install a driver for CUDA " + CudaDevice.version(images.toolkitVersion())
                    + " or newer, or build Ember with an older nvcc";
        }
        return null;
    }

    @Override
    public Backend create(Map<String, String> given) {
        BackendOptions options = BackendOptions.of(NAME, OPTIONS, given);
        CudaSettings settings = CudaSettings.of(options);
        Target target = target(options);
        return new CudaBackend(target.device(), target.images(), settings);
    }

    /** The device the options pick and the jar's kernels, checked as far as the probe and create both need. */
    private record Target(CudaDevice device, KernelImages images) {
    }

    /**
     * The driver initialised, the device chosen and the kernels found loadable by its driver.
     *
     * @throws Unusable when this machine cannot run CUDA, with the reason
     */
    private static Target target(BackendOptions options) {
        String unusable = CudaDriver.initialise();
        if (unusable != null) {
            throw new Unusable(unusable);
        }
        CudaDevice device = chooseDevice(options);
        KernelImages images = KernelImages.load();
        String mismatch = kernelProblem(images, device);
        if (mismatch != null) {
            throw new Unusable(mismatch);
        }
        return new Target(device, images);
    }

    /** Why this machine cannot run CUDA: the probe's reason as it is, and {@code cuda: reason} from create. */
    private static final class Unusable extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final String reason;

        Unusable(String reason) {
            super("cuda: " + reason);
            this.reason = reason;
        }
    }

    /**
     * The device the {@code device} option selects (index 0 by default).
     *
     * @throws InvalidOptionException if the option names no device, listing them
     * @throws IllegalStateException  if the driver sees no device
     */
    static CudaDevice chooseDevice(BackendOptions options) {
        List<CudaDevice> devices = CudaDriver.devices();
        if (devices.isEmpty()) {
            throw new IllegalStateException("the NVIDIA driver sees no CUDA device (cuDeviceGetCount = 0)");
        }
        String wanted = options.value(DEVICE).orElse("0").strip();
        for (CudaDevice d : devices) {
            if (wanted.equals(Integer.toString(d.index()))) {
                return d;
            }
        }
        throw options.invalid(DEVICE, "matches no CUDA device (give an index: " + devices.stream()
                .map(d -> d.index() + " = " + d.name()).collect(Collectors.joining(", ")) + ")");
    }
}
