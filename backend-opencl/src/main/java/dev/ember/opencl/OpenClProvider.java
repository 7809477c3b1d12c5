package dev.ember.opencl;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BackendProvider;
import dev.ember.core.spi.Probe;
import org.jocl.CL;
import org.jocl.CLException;

import java.util.List;

/**
 * The OpenCL backend's entry point. Priority follows the device: a GPU (150) or accelerator (120)
 * beats the native CPU backend (50); an OpenCL CPU device such as PoCL (10) never does, so
 * {@code auto} only picks it when asked by name.
 */
public final class OpenClProvider implements BackendProvider {
    public static final int PRIORITY_GPU = 150;
    public static final int PRIORITY_ACCELERATOR = 120;
    public static final int PRIORITY_CPU = 10;

    static final String INSTALL_HINT = "install ocl-icd-opencl-dev (libOpenCL.so) and an OpenCL driver such as"
            + " pocl-opencl-icd";

    @Override
    public String name() {
        return "opencl";
    }

    /** The first native-load failure: later attempts only say "Could not initialize class org.jocl.CL". */
    private static volatile String loadFailure;

    @Override
    public Probe probe() {
        if (loadFailure != null) {
            return Probe.unavailable(loadFailure, PRIORITY_CPU);
        }
        try {
            DeviceInfo device = chooseDevice();
            return Probe.available(device.describe(), device.priority());
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
    public Backend create() {
        return new OpenClBackend(chooseDevice());
    }

    /** The device {@code -Dember.opencl.device} (or the default rule) selects; throws with the reason if none. */
    static DeviceInfo chooseDevice() {
        CL.setExceptionsEnabled(true); // every JOCL call throws CLException instead of returning a code
        List<DeviceInfo> devices = OpenClDevices.all();
        return OpenClDevices.select(devices, System.getProperty(OpenClDevices.PROPERTY));
    }
}
