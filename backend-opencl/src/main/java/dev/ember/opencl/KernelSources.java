package dev.ember.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the kernel sources from the class path and prepends the dialect header to each program. */
final class KernelSources {
    static final String DIALECT = "ember_dialect.h";

    /** Every element-type-generic kernel, in one program per dtype (one build instead of seven). */
    static final String[] COMMON = {"common.cl", "elementwise.cl", "activation.cl", "reduce.cl", "softmax.cl",
        "batchnorm.cl", "random.cl", "optim.cl"};

    private KernelSources() {
    }

    /** The dialect header followed by the named resources. */
    static String program(String... files) {
        StringBuilder sb = new StringBuilder(resource(DIALECT));
        for (String file : files) {
            // #line keeps the compiler's messages pointing at the right file and line
            sb.append("\n#line 1 \"").append(file).append("\"\n").append(resource(file));
        }
        return sb.toString();
    }

    static String resource(String name) {
        try (InputStream in = KernelSources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: cannot read kernel source " + name, e);
        }
    }
}
