package dev.ember.opencl;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.InvalidOptionException;
import dev.ember.core.spi.MemoryLimit;
import dev.ember.core.spi.Probe;
import org.jocl.CL;
import org.jocl.CLException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenCL backend's entry point. Priority follows the device: a GPU (150) or accelerator (120)
 * beats the native CPU backend (50); an OpenCL CPU device such as PoCL (10) never does, so
 * {@code auto} only picks it when nothing else runs. Options: {@code device}, an index or part of the
 * platform and device name ({@code -Dember.opencl.device} by default), and {@code memoryLimit}
 * ({@link MemoryLimit}).
 */
public final class OpenClProvider implements BackendProvider {
    public static final int PRIORITY_GPU = 150;
    public static final int PRIORITY_ACCELERATOR = 120;
    public static final int PRIORITY_CPU = 10;

    static final String INSTALL_HINT = "install ocl-icd-opencl-dev (libOpenCL.so) and an OpenCL driver such as"
            + " pocl-opencl-icd";

    public static final String NAME = "opencl";
    static final String DEVICE = "device";
    private static final Set<String> OPTIONS = Set.of(DEVICE, MemoryLimit.OPTION);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> options() {
        return OPTIONS;
    }

    /** The first native-load failure: later attempts only say "Could not initialize class org.jocl.CL". */
    private static volatile String loadFailure;

    @Override
    public Probe probe() {
        if (loadFailure != null) {
            return Probe.unavailable(loadFailure, PRIORITY_CPU);
        }
        try {
            DeviceInfo device = chooseDevice(Map.of());
            return Probe.available(device.describe(), device.priority());
        } catch (InvalidOptionException e) { // before IllegalArgumentException: the user's setting, not the machine
            return Probe.misconfigured(e.getMessage(), PRIORITY_CPU);
        } catch (LinkageError e) { // JOCL's native library, or the libOpenCL.so it opens, did not load
            loadFailure = "OpenCL library could not be loaded (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): " + INSTALL_HINT;
            return Probe.unavailable(loadFailure, PRIORITY_CPU);
        } catch (OpenClException | IllegalStateException | IllegalArgumentException e) {
            return Probe.unavailable(e.getMessage(), PRIORITY_CPU);
        } catch (CLException e) {
            return Probe.unavailable("OpenCL query failed: " + ClErrors.name(e.getStatus()), PRIORITY_CPU);
        } catch (RuntimeException e) {
            return Probe.unavailable(e.getClass().getSimpleName() + ": " + e.getMessage(), PRIORITY_CPU);
        }
    }

    @Override
    public Backend create(Map<String, String> options) {
        MemoryLimit memoryLimit = MemoryLimit.of(BackendOptions.of(NAME, OPTIONS, options));
        return new OpenClBackend(chooseDevice(options), memoryLimit);
    }

    /**
     * The device the {@code device} option (or the default rule) selects.
     *
     * @throws InvalidOptionException if the option matches no device, listing the devices
     * @throws IllegalStateException  if OpenCL has no platform or device
     */
    static DeviceInfo chooseDevice(Map<String, String> given) {
        BackendOptions options = BackendOptions.of(NAME, OPTIONS, given);
        CL.setExceptionsEnabled(true); // every JOCL call throws CLException instead of returning a code
        List<DeviceInfo> devices = OpenClDevices.all();
        return OpenClDevices.select(devices, options.value(DEVICE).orElse(null))
                .orElseThrow(() -> options.invalid(DEVICE, "matches no OpenCL device (give an index or part of the"
                        + " platform and device name; " + OpenClDevices.list(devices) + ")"));
    }
}
