package dev.ember.cuda;

/**
 * NVRTC and cuBLAS, each looked up once per JVM: the answer (loaded, or why not) cannot change while
 * the process runs, and every probe and backend reports the same one.
 */
final class CudaLibraries {
    private CudaLibraries() {
    }

    private static final class NvrtcHolder {
        static final Nvrtc NVRTC = Nvrtc.load();
    }

    private static final class CublasHolder {
        static final Cublas CUBLAS = Cublas.load();
    }

    static Nvrtc nvrtc() {
        return NvrtcHolder.NVRTC;
    }

    static Cublas cublas() {
        return CublasHolder.CUBLAS;
    }

    /** For {@code ember info}: how fused expressions run, and whether cuBLAS could serve GEMM. */
    static String describe() {
        Nvrtc nvrtc = nvrtc();
        Cublas cublas = cublas();
        return (nvrtc.available() ? "fused expressions by NVRTC " + nvrtc.version()
                : "fused expressions composed (" + nvrtc.reason() + ")")
                + "; " + (cublas.available() ? "cuBLAS " + cublas.version() + " for option gemm=cublas"
                : "cuBLAS unavailable (" + cublas.reason() + ")");
    }
}
