package dev.ember.cuda;

import jcuda.driver.JCudaDriver;

/**
 * Checked driver calls. JCuda returns {@code CUresult} codes (Ember never turns on JCuda's global
 * exception switch, which other code in the same JVM may rely on), so each call goes through
 * {@link #check} and fails with the operation it was part of.
 */
final class Cuda {
    static final int SUCCESS = 0;
    static final int ERROR_OUT_OF_MEMORY = 2;
    static final int ERROR_STUB_LIBRARY = 34;
    static final int ERROR_INSUFFICIENT_DRIVER = 35;
    static final int ERROR_NO_DEVICE = 100;
    static final int ERROR_UNSUPPORTED_PTX_VERSION = 222;

    private Cuda() {
    }

    /** Throws {@link CudaCallException} unless {@code result} is {@code CUDA_SUCCESS}. */
    static void check(int result, String operation, String call) {
        if (result != SUCCESS) {
            throw new CudaCallException(operation, call, result);
        }
    }

    /** The driver's name for {@code code}, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    static String errorName(int code) {
        try {
            String[] name = new String[1];
            if (JCudaDriver.cuGetErrorName(code, name) == SUCCESS && name[0] != null) {
                return name[0];
            }
        } catch (LinkageError e) {
            // the driver is not there to ask: the number is all there is
        }
        return "CUresult " + code;
    }
}
