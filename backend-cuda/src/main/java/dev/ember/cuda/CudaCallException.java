package dev.ember.cuda;

/** A CUDA driver call failed: the operation, the call and the driver's error name. */
public final class CudaCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    CudaCallException(String operation, String call, int code) {
        super("cuda: " + operation + ": " + call + " failed with " + Cuda.errorName(code) + " (" + code + ")");
        this.code = code;
    }

    /** The {@code CUresult} code. */
    public int code() {
        return code;
    }
}
