package dev.ember.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The GPU backends' kernel sources, one copy for both: files in Ember's kernel dialect, loaded from
 * the class path, with the dialect's OpenCL or CUDA header prepended to make one program.
 */
public final class KernelSources {
    /** The two flavours of the dialect header: the same kernel files compile under either. */
    public enum Dialect {
        OPENCL("ember_dialect.h"),
        CUDA("ember_dialect_cuda.h");

        private final String header;

        Dialect(String header) {
            this.header = header;
        }

        /** The header's resource name (CUDA's build includes it by this name too). */
        public String header() {
            return header;
        }
    }

    /** Every element-type-generic kernel, in one program per dtype (one build instead of eight). */
    public static final String[] COMMON = {"common.cl", "elementwise.cl", "activation.cl", "reduce.cl", "softmax.cl",
        "batchnorm.cl", "random.cl", "optim.cl"};

    /** What a fused expression's program needs before the rendered kernel: the element-wise op functions. */
    public static final String[] EXPRESSION_PRELUDE = {"common.cl", "elementwise.cl"};

    private KernelSources() {
    }

    /** The dialect's header followed by the named resources. */
    public static String program(Dialect dialect, String... files) {
        StringBuilder sb = new StringBuilder(resource(dialect.header()));
        for (String file : files) {
            // #line keeps the compiler's messages pointing at the right file and line
            sb.append("\n#line 1 \"").append(file).append("\"\n").append(resource(file));
        }
        return sb.toString();
    }

    /** One kernel source file's text. */
    public static String resource(String name) {
        try (InputStream in = KernelSources.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("gpu kernels: kernel source " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("gpu kernels: cannot read kernel source " + name, e);
        }
    }
}
