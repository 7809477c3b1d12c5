package dev.ember.opencl;

/** An OpenCL call failed; the message names the operation and the OpenCL status by name. */
public final class OpenClException extends RuntimeException {
    public OpenClException(String message) {
        super(message);
    }

    public OpenClException(String message, Throwable cause) {
        super(message, cause);
    }
}
