package dev.ember.opencl;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Programs of one context, built once and reused: keyed by device, source hash and build options.
 * A failed build throws with the compiler's log, which is the only useful clue.
 */
final class ProgramCache {
    private final cl_context context;
    private final DeviceInfo device;
    private final Map<String, cl_program> programs = new HashMap<>();

    ProgramCache(cl_context context, DeviceInfo device) {
        this.context = context;
        this.device = device;
    }

    synchronized cl_program get(String source, String options) {
        String key = device.key() + "|" + sha256(source) + "|" + options;
        cl_program program = programs.get(key);
        if (program == null) {
            program = build(source, options);
            programs.put(key, program);
        }
        return program;
    }

    /** Number of programs built so far (for tests). */
    synchronized int size() {
        return programs.size();
    }

    synchronized void releaseAll() {
        programs.values().forEach(CL::clReleaseProgram);
        programs.clear();
    }

    private cl_program build(String source, String options) {
        cl_program program;
        try {
            program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        } catch (CLException e) {
            throw ClErrors.wrap("clCreateProgramWithSource", e);
        }
        try {
            CL.clBuildProgram(program, 1, new cl_device_id[] {device.device()}, options, null, null);
            return program;
        } catch (CLException e) {
            String log = buildLog(program);
            CL.clReleaseProgram(program);
            throw new OpenClException("opencl: building kernels for " + device.name() + " with options '" + options
                    + "' failed: " + ClErrors.name(e.getStatus()) + "\nbuild log:\n" + log, e);
        }
    }

    private String buildLog(cl_program program) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(program, device.device(), CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log),
                    null);
            int n = log.length;
            while (n > 0 && log[n - 1] == 0) {
                n--;
            }
            return new String(log, 0, n, StandardCharsets.UTF_8);
        } catch (CLException e) {
            return "(no build log: " + ClErrors.name(e.getStatus()) + ")";
        }
    }

    private static String sha256(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
