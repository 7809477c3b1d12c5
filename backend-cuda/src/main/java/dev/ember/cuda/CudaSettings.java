package dev.ember.cuda;

import dev.ember.core.spi.BackendOptions;
import dev.ember.core.spi.MemoryLimit;

import java.util.Locale;

/**
 * The CUDA backend's options besides the device.
 *
 * @param memoryLimit cap on this backend's live buffers
 * @param tf32        whether large F32 GEMMs may use TF32 tensor cores (10-bit mantissa inputs; off by default)
 * @param cublas      whether GEMM goes to cuBLAS instead of Ember's own kernel (off by default: the
 *                    conformance suite tests Ember's own)
 */
record CudaSettings(MemoryLimit memoryLimit, boolean tf32, boolean cublas) {
    static final String TF32 = "tf32";
    static final String GEMM = "gemm";

    static CudaSettings of(BackendOptions options) {
        return new CudaSettings(MemoryLimit.of(options), bool(options, TF32),
                gemm(options));
    }

    private static boolean bool(BackendOptions options, String option) {
        String v = options.value(option).orElse("false").strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw options.invalid(option, "must be true or false");
        };
    }

    private static boolean gemm(BackendOptions options) {
        String v = options.value(GEMM).orElse("ember").strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "ember" -> false;
            case "cublas" -> true;
            default -> throw options.invalid(GEMM, "must be ember (Ember's own kernel) or cublas");
        };
    }
}
