package dev.ember.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NVRTC, CUDA's run-time compiler, through the Foreign Function &amp; Memory API: CUDA C++ source in, PTX
 * out. Bound with FFM rather than JCuda's JNI library because that one is linked to
 * {@code libnvrtc.so.12} and CUDA 13 ships {@code libnvrtc.so.13}; NVRTC's C API is the same in both.
 *
 * <p>{@link #load()} never throws: it gives either an available compiler or one that says why not
 * ({@link #reason()}). Instances are immutable and {@link #compile} keeps everything it allocates in its
 * own arena and program, so threads may compile at once (NVRTC allows concurrent calls on different
 * programs). NVRTC needs no CUDA context or device.
 *
 * <p>Compiling also needs {@code libnvrtc-builtins.so.<major>.<minor>}, which NVRTC loads itself from
 * the dynamic loader's path; a compile that fails with {@code NVRTC_ERROR_BUILTIN_OPERATION_FAILURE}
 * says so.
 */
public final class Nvrtc {
    /** The system property that may name the library file to load. */
    public static final String LIBRARY_PROPERTY = "ember.cuda.nvrtc";
    /** The file names tried, newest first. */
    static final List<String> NAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so");
    /** How many lines of a failed compile's log the exception's message quotes. */
    static final int LOG_LINES_IN_MESSAGE = 20;

    // nvrtcResult values (nvrtc.h) this class tells apart
    private static final int NVRTC_SUCCESS = 0;
    private static final int NVRTC_ERROR_BUILTIN_OPERATION_FAILURE = 7;

    private final String file;
    private final String reason;
    private final String version;
    private final Functions functions;

    private Nvrtc(String file, String reason, String version, Functions functions) {
        this.file = file;
        this.reason = reason;
        this.version = version;
        this.functions = functions;
    }

    /** The library from {@code -Dember.cuda.nvrtc}, the dynamic loader or a CUDA toolkit; never throws. */
    public static Nvrtc load() {
        return bind(NativeLibraries.find("libnvrtc", LIBRARY_PROPERTY, NAMES));
    }

    /** Binds NVRTC's functions in a found library (a test passes a stand-in). Never throws. */
    static Nvrtc bind(NativeLibraries.Result library) {
        if (!library.found()) {
            return new Nvrtc(null, library.reason(), null, null);
        }
        try {
            Functions functions = new Functions(library);
            return new Nvrtc(library.file(), null, functions.version(), functions);
        } catch (RuntimeException | LinkageError e) {
            return new Nvrtc(library.file(), "libnvrtc loaded from " + library.file() + " but unusable: "
                    + e.getMessage(), null, null);
        }
    }

    /** Whether {@link #compile} can run. */
    public boolean available() {
        return functions != null;
    }

    /** Why NVRTC is unavailable, or null when it is available. */
    public String reason() {
        return reason;
    }

    /** NVRTC's version, e.g. {@code 13.0}, or null when unavailable. */
    public String version() {
        return version;
    }

    /** The library file loaded (a soname or a path), or null when none was. */
    public String file() {
        return file;
    }

    /**
     * Compiles one CUDA C++ translation unit to PTX.
     *
     * @param source      the program text (no {@code #include}s of files: NVRTC gets no headers)
     * @param programName the name NVRTC uses in its log, e.g. {@code ember_expression.cu}
     * @param options     NVRTC options, e.g. {@link CudaCompileOptions#options}
     * @return the PTX text
     * @throws CompileException when NVRTC reports an error; its message has NVRTC's error string and
     *                          the first lines of the log, {@link CompileException#log()} all of it
     * @throws IllegalStateException when NVRTC is unavailable or the native call itself failed
     */
    public String compile(String source, String programName, List<String> options) {
        Objects.requireNonNull(source, "nvrtc compile: source");
        Objects.requireNonNull(programName, "nvrtc compile: programName");
        Objects.requireNonNull(options, "nvrtc compile: options");
        if (functions == null) {
            throw new IllegalStateException("nvrtc: cannot compile " + programName + ": " + reason);
        }
        return functions.compile(source, programName, options);
    }

    @Override
    public String toString() {
        return available() ? "nvrtc " + version + " (" + file + ")" : "nvrtc unavailable: " + reason;
    }

    /** A compile NVRTC rejected: its result code, error string and whole log. */
    public static final class CompileException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int result;
        private final String log;

        CompileException(String message, int result, String log) {
            super(message);
            this.result = result;
            this.log = log;
        }

        /** NVRTC's {@code nvrtcResult} code, e.g. 6 for {@code NVRTC_ERROR_COMPILATION}. */
        public int result() {
            return result;
        }

        /** The whole compile log (empty when NVRTC wrote none or failed before compiling). */
        public String log() {
            return log;
        }
    }

    /** The bound entry points, with their declarations in nvrtc.h. */
    private static final class Functions {
        /** {@code const char* nvrtcGetErrorString(nvrtcResult result)} */
        private final MethodHandle getErrorString;
        /** {@code nvrtcResult nvrtcVersion(int* major, int* minor)} */
        private final MethodHandle nvrtcVersion;
        /**
         * {@code nvrtcResult nvrtcCreateProgram(nvrtcProgram* prog, const char* src, const char* name,
         * int numHeaders, const char* const* headers, const char* const* includeNames)}
         */
        private final MethodHandle createProgram;
        /** {@code nvrtcResult nvrtcCompileProgram(nvrtcProgram prog, int numOptions, const char* const* options)} */
        private final MethodHandle compileProgram;
        /** {@code nvrtcResult nvrtcGetPTXSize(nvrtcProgram prog, size_t* ptxSizeRet)} */
        private final MethodHandle getPtxSize;
        /** {@code nvrtcResult nvrtcGetPTX(nvrtcProgram prog, char* ptx)} */
        private final MethodHandle getPtx;
        /** {@code nvrtcResult nvrtcGetProgramLogSize(nvrtcProgram prog, size_t* logSizeRet)} */
        private final MethodHandle getProgramLogSize;
        /** {@code nvrtcResult nvrtcGetProgramLog(nvrtcProgram prog, char* log)} */
        private final MethodHandle getProgramLog;
        /** {@code nvrtcResult nvrtcDestroyProgram(nvrtcProgram* prog)} */
        private final MethodHandle destroyProgram;

        Functions(NativeLibraries.Result library) {
            getErrorString = NativeLibraries.function(library, "nvrtcGetErrorString",
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
            nvrtcVersion = NativeLibraries.function(library, "nvrtcVersion",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            createProgram = NativeLibraries.function(library, "nvrtcCreateProgram",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
            compileProgram = NativeLibraries.function(library, "nvrtcCompileProgram",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
            getPtxSize = NativeLibraries.function(library, "nvrtcGetPTXSize",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            getPtx = NativeLibraries.function(library, "nvrtcGetPTX",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            getProgramLogSize = NativeLibraries.function(library, "nvrtcGetProgramLogSize",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            getProgramLog = NativeLibraries.function(library, "nvrtcGetProgramLog",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            destroyProgram = NativeLibraries.function(library, "nvrtcDestroyProgram",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS));
        }

        String version() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment major = arena.allocate(JAVA_INT);
                MemorySegment minor = arena.allocate(JAVA_INT);
                int result = (int) nvrtcVersion.invokeExact(major, minor);
                check(result, "nvrtcVersion");
                return major.get(JAVA_INT, 0) + "." + minor.get(JAVA_INT, 0);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("nvrtc: nvrtcVersion failed: " + e, e);
            }
        }

        String compile(String source, String programName, List<String> options) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment programOut = arena.allocate(ADDRESS);
                int created = (int) createProgram.invokeExact(programOut, arena.allocateFrom(source),
                        arena.allocateFrom(programName), 0, MemorySegment.NULL, MemorySegment.NULL);
                check(created, "nvrtcCreateProgram for " + programName);
                MemorySegment program = programOut.get(ADDRESS, 0);
                String ptx;
                try {
                    ptx = compile(arena, program, programName, options);
                } catch (Throwable e) {
                    int ignored = (int) destroyProgram.invokeExact(programOut);   // the compile's error matters more
                    throw e;
                }
                // takes the nvrtcProgram* that nvrtcCreateProgram filled in, and sets it to NULL
                check((int) destroyProgram.invokeExact(programOut), "nvrtcDestroyProgram for " + programName);
                return ptx;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("nvrtc: compiling " + programName + " failed in the native call: " + e,
                        e);
            }
        }

        private String compile(Arena arena, MemorySegment program, String programName, List<String> options)
                throws Throwable {
            MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(1, options.size()));
            for (int i = 0; i < options.size(); i++) {
                optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(Objects.requireNonNull(options.get(i),
                        "nvrtc compile: option " + i)));
            }
            int compiled = (int) compileProgram.invokeExact(program, options.size(), optionArray);
            if (compiled != NVRTC_SUCCESS) {
                String log = log(arena, program);
                throw new CompileException(failure(compiled, programName, options, log), compiled, log);
            }
            MemorySegment size = arena.allocate(JAVA_LONG);
            check((int) getPtxSize.invokeExact(program, size), "nvrtcGetPTXSize for " + programName);
            long bytes = size.get(JAVA_LONG, 0);
            if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
                throw new IllegalStateException("nvrtc: nvrtcGetPTXSize for " + programName + " gave " + bytes
                        + " bytes");
            }
            MemorySegment ptx = arena.allocate(bytes);
            check((int) getPtx.invokeExact(program, ptx), "nvrtcGetPTX for " + programName);
            return ptx.getString(0);   // the size counts the terminating NUL
        }

        /** The program's log, or a note saying why it could not be read (never throws for a failed compile). */
        private String log(Arena arena, MemorySegment program) throws Throwable {
            MemorySegment size = arena.allocate(JAVA_LONG);
            int result = (int) getProgramLogSize.invokeExact(program, size);
            long bytes = size.get(JAVA_LONG, 0);
            if (result != NVRTC_SUCCESS || bytes <= 0 || bytes > Integer.MAX_VALUE) {
                return result != NVRTC_SUCCESS ? "(nvrtcGetProgramLogSize failed: " + errorString(result) + ")" : "";
            }
            MemorySegment log = arena.allocate(bytes);
            result = (int) getProgramLog.invokeExact(program, log);
            return result == NVRTC_SUCCESS ? log.getString(0)
                    : "(nvrtcGetProgramLog failed: " + errorString(result) + ")";
        }

        private String failure(int result, String programName, List<String> options, String log) {
            StringBuilder message = new StringBuilder("nvrtc: compiling ").append(programName).append(" with ")
                    .append(options).append(" failed: ").append(errorString(result));
            if (result == NVRTC_ERROR_BUILTIN_OPERATION_FAILURE) {
                message.append(" (NVRTC could not load libnvrtc-builtins.so of its own version: put the directory that"
                        + " holds it on LD_LIBRARY_PATH)");
            }
            List<String> lines = log.strip().lines().toList();
            if (!lines.isEmpty()) {
                message.append("; log:");
                lines.stream().limit(LOG_LINES_IN_MESSAGE).forEach(line -> message.append('\n').append(line));
                if (lines.size() > LOG_LINES_IN_MESSAGE) {
                    message.append("\n... (").append(lines.size() - LOG_LINES_IN_MESSAGE).append(" more lines)");
                }
            }
            return message.toString();
        }

        private void check(int result, String operation) {
            if (result != NVRTC_SUCCESS) {
                throw new IllegalStateException("nvrtc: " + operation + " failed: " + errorString(result));
            }
        }

        /** E.g. {@code NVRTC_ERROR_COMPILATION (6)}. */
        private String errorString(int result) {
            String name;
            try {
                name = NativeLibraries.cString((MemorySegment) getErrorString.invokeExact(result));
            } catch (Throwable e) {
                name = null;
            }
            return (name == null ? "nvrtcResult" : name) + " (" + result + ")";
        }
    }
}
