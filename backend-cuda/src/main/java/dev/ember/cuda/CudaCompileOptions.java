package dev.ember.cuda;

import dev.ember.core.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * The compiler options of every CUDA program Ember builds from the shared kernel dialect, in one place:
 * NVRTC gets them at run time and the build's tests hand the very same list to nvcc, which accepts every
 * one of these spellings too, so a program that passes nvcc's check compiles the same way under NVRTC.
 */
public final class CudaCompileOptions {
    /**
     * The virtual architecture the PTX targets: Turing, the oldest CUDA 13 supports. The driver
     * compiles the PTX for the actual GPU when it loads the module, so newer GPUs run it too.
     */
    public static final String ARCHITECTURE = "compute_75";

    /**
     * The thread-block size of the shared kernels' work-group reductions: build-ptx.sh compiles them
     * with {@code -DEMBER_WG} set to this, and the backend launches blocks of exactly this size.
     */
    public static final int GROUP_SIZE = 256;

    private CudaCompileOptions() {
    }

    /** The element type's definitions (the dialect's {@code REAL}, and {@code EMBER_F64} for doubles). */
    public static List<String> defines(DType dtype) {
        return switch (dtype) {
            case F32 -> List.of("-DREAL=float");
            case F64 -> List.of("-DREAL=double", "-DEMBER_F64");
        };
    }

    /**
     * The options for one element type: the architecture, the definitions, and no contraction of
     * {@code a * b + c} into a fused multiply-add, since Ember's element-wise semantics round every
     * operation's result (a fused expression must give what its operations give one by one).
     */
    public static List<String> options(DType dtype) {
        List<String> options = new ArrayList<>();
        options.add("-arch=" + ARCHITECTURE);
        options.add("--fmad=false");
        options.addAll(defines(dtype));
        return List.copyOf(options);
    }
}
