package dev.ember.opencl;

import org.jocl.CL;
import org.jocl.CLException;

/** Turns OpenCL status codes into their names, so messages say {@code CL_OUT_OF_RESOURCES}, not {@code -5}. */
public final class ClErrors {
    private ClErrors() {
    }

    /** The symbolic name of an OpenCL status code, e.g. {@code CL_OUT_OF_RESOURCES (-5)}. */
    public static String name(int code) {
        String name;
        try {
            name = CL.stringFor_errorCode(code);
        } catch (LinkageError e) { // JOCL's natives missing: the table is plain Java, but be safe
            name = null;
        }
        if (name == null || !name.startsWith("CL_")) { // JOCL answers "INVALID error code: ..." for unknown codes
            name = "unknown OpenCL error";
        }
        return name + " (" + code + ")";
    }

    /** Wraps a JOCL exception with the operation that failed and the code's name. */
    public static OpenClException wrap(String operation, CLException e) {
        return new OpenClException("opencl: " + operation + " failed: " + name(e.getStatus()), e);
    }
}
