package dev.ember.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The PTX modules the build compiled (src/build/build-ptx.sh) and what it recorded about them in
 * {@code kernels.properties}, read from the class path under {@value #DIRECTORY}. A build without nvcc
 * carries no modules: {@link #built()} is false and {@link #reason()} says why.
 */
public final class KernelImages {
    /** Where the modules and {@code kernels.properties} lie on the class path. */
    public static final String DIRECTORY = "/dev/ember/cuda/ptx/";
    /** The shared dialect kernels built as float ({@code -DREAL=float}). */
    public static final String F32 = "ember_f32";
    /** The shared dialect kernels built as double, with the F32/F64 casts. */
    public static final String F64 = "ember_f64";

    private static final String PROPERTIES = "kernels.properties";

    private final boolean built;
    private final String reason;
    private final int toolkitVersion;
    private final String nvcc;
    private final String ptxIsa;
    private final String arch;
    private final List<String> modules;
    private final Properties properties;

    private KernelImages(Properties p) {
        this.properties = p;
        this.built = Boolean.parseBoolean(p.getProperty("built", "false"));
        this.reason = built ? "" : p.getProperty("reason", "kernels.properties gives no reason");
        this.toolkitVersion = built ? parseToolkit(p.getProperty("toolkit")) : 0;
        this.nvcc = p.getProperty("nvcc", "");
        this.ptxIsa = p.getProperty("ptxIsa", "");
        this.arch = p.getProperty("arch", "");
        String list = p.getProperty("modules", "");
        this.modules = list.isBlank() ? List.of() : Arrays.stream(list.split(",")).map(String::trim).toList();
    }

    /** The images on the class path; a jar without {@code kernels.properties} counts as not built. */
    public static KernelImages load() {
        Properties p = new Properties();
        try (InputStream in = KernelImages.class.getResourceAsStream(DIRECTORY + PROPERTIES)) {
            if (in == null) {
                p.setProperty("built", "false");
                p.setProperty("reason", DIRECTORY + PROPERTIES + " is missing from the class path "
                        + "(the CUDA backend's jar was not built by its Maven build)");
            } else {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cuda kernels: cannot read " + DIRECTORY + PROPERTIES, e);
        }
        return new KernelImages(p);
    }

    /** Whether the build compiled the kernels (it had nvcc). */
    public boolean built() {
        return built;
    }

    /** Why the kernels were not built; empty when they were. */
    public String reason() {
        return reason;
    }

    /**
     * The least CUDA driver version that can JIT-compile the modules, in {@code cuDriverGetVersion}'s
     * units (major * 1000 + minor * 10: 13000 for CUDA 13.0), that is the version of the toolkit that
     * wrote them; 0 when not built.
     */
    public int toolkitVersion() {
        return toolkitVersion;
    }

    /** The version of the nvcc that compiled the modules (e.g. {@code 13.0.88}); empty when not built. */
    public String nvcc() {
        return nvcc;
    }

    /** The PTX ISA version the modules declare ({@code .version}, e.g. {@code 9.0}); empty when not built. */
    public String ptxIsa() {
        return ptxIsa;
    }

    /** The oldest virtual architecture the modules target (e.g. {@code compute_75}); empty when not built. */
    public String arch() {
        return arch;
    }

    /** The virtual architecture one module targets ({@code gemm_tf32} needs {@code compute_80}). */
    public String arch(String module) {
        requireModule(module);
        return properties.getProperty("arch." + module, arch);
    }

    /** The modules built, by name ({@code ember_f32}, {@code ember_f64}, {@code gemm}, {@code gemm_tf32}). */
    public List<String> modules() {
        return modules;
    }

    /**
     * One module's PTX text as {@code cuModuleLoadData} takes it: its bytes followed by a terminating NUL.
     * A fresh array each call.
     */
    public byte[] ptx(String module) {
        requireModule(module);
        String name = DIRECTORY + module + ".ptx";
        try (InputStream in = KernelImages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("cuda kernels: module '" + module + "' is listed in "
                        + PROPERTIES + " but " + name + " is missing from the class path");
            }
            byte[] text = in.readAllBytes();
            return Arrays.copyOf(text, text.length + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cuda kernels: cannot read " + name, e);
        }
    }

    private void requireModule(String module) {
        if (!built) {
            throw new IllegalStateException("cuda kernels: module '" + module + "' requested, but the kernels "
                    + "were not built: " + reason);
        }
        if (!modules.contains(module)) {
            throw new IllegalArgumentException("cuda kernels: no module '" + module + "' (built: " + modules + ")");
        }
    }

    private static int parseToolkit(String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("cuda kernels: " + PROPERTIES + " says built=true but its toolkit is '"
                    + value + "', not a driver version number", e);
        }
    }
}
