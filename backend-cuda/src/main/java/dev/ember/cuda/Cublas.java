package dev.ember.cuda;

import dev.ember.core.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * cuBLAS's GEMM through the Foreign Function &amp; Memory API, on raw device addresses
 * ({@link DeviceAddress}). Bound with FFM rather than JCuda's JNI library because that one is linked to
 * {@code libcublas.so.12} and CUDA 13 ships {@code libcublas.so.13}; the calls used here are the same in
 * both.
 *
 * <p>{@link #load()} never throws: it gives either an available library or one that says why not
 * ({@link #reason()}); {@code -Dember.cuda.cublas=false} turns it off, and any other value names the
 * library file to load.
 *
 * <p><b>Context:</b> cuBLAS works in the CUDA context current on the calling thread. The caller makes
 * its context current (through JCuda's {@code cuCtxSetCurrent}) before {@link #create}, before every
 * {@link Handle#gemm} and before {@link Handle#close}; a handle belongs to the context it was created
 * in. <b>Ordering:</b> a handle runs on the legacy default stream (NULL), as cuBLAS's handles do unless
 * given another; callers order GEMMs against other work by synchronizing.
 */
public final class Cublas {
    /** The system property that names the library file, or turns cuBLAS off with {@code false}. */
    public static final String LIBRARY_PROPERTY = "ember.cuda.cublas";
    /** The file names tried, newest first. */
    static final List<String> NAMES = List.of("libcublas.so.13", "libcublas.so.12", "libcublas.so");

    /** How a handle may compute single-precision products ({@code cublasMath_t}). */
    public enum MathMode {
        /** {@code CUBLAS_DEFAULT_MATH}: FP32 arithmetic throughout. */
        DEFAULT(0),
        /** {@code CUBLAS_TF32_TENSOR_OP_MATH}: F32 products on tensor cores with TF32 inputs (10-bit mantissa). */
        TF32_TENSOR_OP(3);

        private final int code;

        MathMode(int code) {
            this.code = code;
        }

        /** The {@code cublasMath_t} value. */
        public int code() {
            return code;
        }
    }

    private static final int CUBLAS_STATUS_SUCCESS = 0;
    private static final int CUBLAS_STATUS_NOT_INITIALIZED = 1;
    // libraryPropertyType (library_types.h)
    private static final int MAJOR_VERSION = 0;
    private static final int MINOR_VERSION = 1;
    private static final int PATCH_LEVEL = 2;

    private final String file;
    private final String reason;
    private final String version;
    private final Functions functions;

    private Cublas(String file, String reason, String version, Functions functions) {
        this.file = file;
        this.reason = reason;
        this.version = version;
        this.functions = functions;
    }

    /**
     * The library from {@code -Dember.cuda.cublas}, the dynamic loader or a CUDA toolkit, or unavailable
     * when {@code -Dember.cuda.cublas=false}; never throws. Needs no context: loading creates no handle.
     */
    public static Cublas load() {
        String setting = System.getProperty(LIBRARY_PROPERTY);
        if (setting != null && setting.trim().equalsIgnoreCase("false")) {
            return new Cublas(null, "cuBLAS turned off by -D" + LIBRARY_PROPERTY + "=false", null, null);
        }
        boolean pathGiven = setting != null && !setting.isBlank() && !setting.trim().equalsIgnoreCase("true");
        return bind(NativeLibraries.find("libcublas", pathGiven ? LIBRARY_PROPERTY : null, NAMES));
    }

    /** Binds cuBLAS's functions in a found library (a test passes a stand-in). Never throws. */
    static Cublas bind(NativeLibraries.Result library) {
        if (!library.found()) {
            return new Cublas(null, library.reason(), null, null);
        }
        try {
            Functions functions = new Functions(library);
            return new Cublas(library.file(), null, functions.version(), functions);
        } catch (RuntimeException | LinkageError e) {
            return new Cublas(library.file(), "libcublas loaded from " + library.file() + " but unusable: "
                    + e.getMessage(), null, null);
        }
    }

    /** Whether {@link #create} can run. */
    public boolean available() {
        return functions != null;
    }

    /** Why cuBLAS is unavailable, or null when it is available. */
    public String reason() {
        return reason;
    }

    /** The library's version, e.g. {@code 13.0.2} ({@code unknown} where it cannot say), or null when unavailable. */
    public String version() {
        return version;
    }

    /** The library file loaded (a soname or a path), or null when none was. */
    public String file() {
        return file;
    }

    /** A new handle on the legacy default stream: see {@link #create(MathMode, long)}. */
    public Handle create(MathMode mode) {
        return create(mode, 0);
    }

    /**
     * A new handle in the calling thread's current CUDA context, with the given math mode, whose calls
     * are enqueued on {@code stream} (a {@code CUstream}'s address; 0 is the legacy default stream), so
     * they are ordered with that stream's kernels and finished by its synchronisation.
     *
     * @throws IllegalStateException when cuBLAS is unavailable or cannot create a handle (for instance
     *                               with no current context, or out of device memory)
     */
    public Handle create(MathMode mode, long stream) {
        Objects.requireNonNull(mode, "cublas create: math mode");
        if (functions == null) {
            throw new IllegalStateException("cublas: cannot create a handle: " + reason);
        }
        return new Handle(functions, functions.create(mode, stream), mode);
    }

    @Override
    public String toString() {
        return available() ? "cublas " + version + " (" + file + ")" : "cublas unavailable: " + reason;
    }

    /**
     * One cuBLAS handle: its context's GEMMs on the default stream. Not thread-safe: one thread at a
     * time, with the handle's context current.
     */
    public static final class Handle implements AutoCloseable {
        private final Functions functions;
        private final MemorySegment handle;
        private final MathMode mode;
        private boolean closed;

        private Handle(Functions functions, MemorySegment handle, MathMode mode) {
            this.functions = functions;
            this.handle = handle;
            this.mode = mode;
        }

        /** The math mode the handle was created with. */
        public MathMode mode() {
            return mode;
        }

        /** {@code cublasGetVersion_v2}: e.g. 130002 for 13.0.2 (major * 10000 + minor * 100 + patch). */
        public int version() {
            ensureOpen("version");
            return functions.handleVersion(handle);
        }

        /**
         * Row-major {@code C = alpha op(A) op(B) + beta C}, with {@code op(A)} {@code m x k}, {@code op(B)}
         * {@code k x n} and C {@code m x n}; leading dimensions count elements between rows. Enqueued on
         * the default stream: it may still run when this returns.
         *
         * @param dtype F32 ({@code cublasSgemm_v2}) or F64 ({@code cublasDgemm_v2}); the operands hold it
         * @throws IllegalArgumentException for bad sizes, leading dimensions or addresses ({@link ColumnMajorCall#of})
         * @throws IllegalStateException    when cuBLAS reports an error, naming it and the call
         */
        public void gemm(DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha, long a,
                         int lda, long b, int ldb, double beta, long c, int ldc) {
            Objects.requireNonNull(dtype, "cublas gemm: dtype");
            ensureOpen("gemm");
            ColumnMajorCall call = ColumnMajorCall.of(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
            functions.gemm(handle, dtype, call, alpha, beta, () -> String.format(Locale.ROOT,
                    "%s gemm (row-major m=%d n=%d k=%d transA=%b transB=%b lda=%d ldb=%d ldc=%d, math mode %s)",
                    dtype, m, n, k, transA, transB, lda, ldb, ldc, mode));
        }

        /** Destroys the handle (its context must be current); a second close does nothing. */
        @Override
        public void close() {
            if (!closed) {
                closed = true;
                functions.destroy(handle);
            }
        }

        private void ensureOpen(String operation) {
            if (closed) {
                throw new IllegalStateException("cublas " + operation + ": the handle is closed");
            }
        }
    }

    private interface Description {
        String describe();
    }

    /** The bound entry points, with their declarations in cublas_api.h. */
    private static final class Functions {
        /** {@code cublasStatus_t cublasCreate_v2(cublasHandle_t* handle)} */
        private final MethodHandle create;
        /** {@code cublasStatus_t cublasDestroy_v2(cublasHandle_t handle)} */
        private final MethodHandle destroy;
        /** {@code cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode)} */
        private final MethodHandle setMathMode;
        /** {@code cublasStatus_t cublasSetStream_v2(cublasHandle_t handle, cudaStream_t streamId)} */
        private final MethodHandle setStream;
        /** {@code cublasStatus_t cublasGetVersion_v2(cublasHandle_t handle, int* version)} */
        private final MethodHandle getVersion;
        /**
         * {@code cublasStatus_t cublasSgemm_v2(cublasHandle_t handle, cublasOperation_t transa,
         * cublasOperation_t transb, int m, int n, int k, const float* alpha, const float* A, int lda,
         * const float* B, int ldb, const float* beta, float* C, int ldc)}
         */
        private final MethodHandle sgemm;
        /** {@code cublasDgemm_v2}: as {@link #sgemm} with {@code double} for {@code float}. */
        private final MethodHandle dgemm;
        /** {@code const char* cublasGetStatusString(cublasStatus_t status)}; null where the library lacks it. */
        private final MethodHandle getStatusString;
        /** {@code cublasStatus_t cublasGetProperty(libraryPropertyType type, int* value)}; null where absent. */
        private final MethodHandle getProperty;

        Functions(NativeLibraries.Result library) {
            create = NativeLibraries.function(library, "cublasCreate_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            destroy = NativeLibraries.function(library, "cublasDestroy_v2", FunctionDescriptor.of(JAVA_INT, ADDRESS));
            setMathMode = NativeLibraries.function(library, "cublasSetMathMode",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            setStream = NativeLibraries.function(library, "cublasSetStream_v2",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            getVersion = NativeLibraries.function(library, "cublasGetVersion_v2",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
            FunctionDescriptor gemm = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                    JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
            sgemm = NativeLibraries.function(library, "cublasSgemm_v2", gemm);
            dgemm = NativeLibraries.function(library, "cublasDgemm_v2", gemm);
            getStatusString = NativeLibraries.optionalFunction(library, "cublasGetStatusString",
                    FunctionDescriptor.of(ADDRESS, JAVA_INT));
            getProperty = NativeLibraries.optionalFunction(library, "cublasGetProperty",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        }

        /** major.minor.patch through {@code cublasGetProperty}, which needs no handle; "unknown" without it. */
        String version() {
            if (getProperty == null) {
                return "unknown";
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment value = arena.allocate(JAVA_INT);
                StringBuilder version = new StringBuilder();
                for (int property : new int[] {MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL}) {
                    int status = (int) getProperty.invokeExact(property, value);
                    check(status, () -> "cublasGetProperty(" + property + ")");
                    version.append(version.isEmpty() ? "" : ".").append(value.get(JAVA_INT, 0));
                }
                return version.toString();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cublas: cublasGetProperty failed: " + e, e);
            }
        }

        MemorySegment create(MathMode mode, long stream) {
            MemorySegment handle;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment handleOut = arena.allocate(ADDRESS);
                int status = (int) create.invokeExact(handleOut);
                if (status == CUBLAS_STATUS_NOT_INITIALIZED) {
                    throw new IllegalStateException("cublas: cublasCreate_v2 failed: " + statusString(status)
                            + " (is a CUDA context current on this thread?)");
                }
                check(status, () -> "cublasCreate_v2");
                handle = handleOut.get(ADDRESS, 0);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cublas: cublasCreate_v2 failed in the native call: " + e, e);
            }
            try {
                int status = (int) setMathMode.invokeExact(handle, mode.code());
                check(status, () -> "cublasSetMathMode(" + mode + " = " + mode.code() + ")");
                status = (int) setStream.invokeExact(handle, MemorySegment.ofAddress(stream));
                check(status, () -> "cublasSetStream_v2");
                return handle;
            } catch (Throwable e) {
                try {
                    destroy(handle);
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);   // the math mode's failure is the one to report
                }
                throw e instanceof RuntimeException r ? r : new IllegalStateException(
                        "cublas: cublasSetMathMode failed in the native call: " + e, e);
            }
        }

        void destroy(MemorySegment handle) {
            try {
                check((int) destroy.invokeExact(handle), () -> "cublasDestroy_v2");
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cublas: cublasDestroy_v2 failed in the native call: " + e, e);
            }
        }

        int handleVersion(MemorySegment handle) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment version = arena.allocate(JAVA_INT);
                check((int) getVersion.invokeExact(handle, version), () -> "cublasGetVersion_v2");
                return version.get(JAVA_INT, 0);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cublas: cublasGetVersion_v2 failed in the native call: " + e, e);
            }
        }

        void gemm(MemorySegment handle, DType dtype, ColumnMajorCall call, double alpha, double beta,
                  Description what) {
            // alpha and beta are host pointers (the default pointer mode): cuBLAS reads them before returning
            try (Arena arena = Arena.ofConfined()) {
                int status = switch (dtype) {
                    case F32 -> (int) sgemm.invokeExact(handle, call.transaCode(), call.transbCode(), call.m(),
                            call.n(), call.k(), arena.allocateFrom(JAVA_FLOAT, (float) alpha), device(call.a()),
                            call.lda(), device(call.b()), call.ldb(), arena.allocateFrom(JAVA_FLOAT, (float) beta),
                            device(call.c()), call.ldc());
                    case F64 -> (int) dgemm.invokeExact(handle, call.transaCode(), call.transbCode(), call.m(),
                            call.n(), call.k(), arena.allocateFrom(JAVA_DOUBLE, alpha), device(call.a()),
                            call.lda(), device(call.b()), call.ldb(), arena.allocateFrom(JAVA_DOUBLE, beta),
                            device(call.c()), call.ldc());
                };
                check(status, what::describe);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("cublas: " + what.describe() + " failed in the native call: " + e, e);
            }
        }

        private static MemorySegment device(long address) {
            return MemorySegment.ofAddress(address);
        }

        private void check(int status, Description what) {
            if (status != CUBLAS_STATUS_SUCCESS) {
                throw new IllegalStateException("cublas: " + what.describe() + " failed: " + statusString(status));
            }
        }

        /** E.g. {@code CUBLAS_STATUS_INVALID_VALUE (7): an invalid value was used as an argument}. */
        private String statusString(int status) {
            String text = null;
            if (getStatusString != null) {
                try {
                    text = NativeLibraries.cString((MemorySegment) getStatusString.invokeExact(status));
                } catch (Throwable e) {
                    text = null;
                }
            }
            return statusName(status) + " (" + status + ")" + (text == null ? "" : ": " + text);
        }
    }

    /** The {@code cublasStatus_t} names (cublas_api.h). */
    static String statusName(int status) {
        return switch (status) {
            case 0 -> "CUBLAS_STATUS_SUCCESS";
            case 1 -> "CUBLAS_STATUS_NOT_INITIALIZED";
            case 3 -> "CUBLAS_STATUS_ALLOC_FAILED";
            case 7 -> "CUBLAS_STATUS_INVALID_VALUE";
            case 8 -> "CUBLAS_STATUS_ARCH_MISMATCH";
            case 11 -> "CUBLAS_STATUS_MAPPING_ERROR";
            case 13 -> "CUBLAS_STATUS_EXECUTION_FAILED";
            case 14 -> "CUBLAS_STATUS_INTERNAL_ERROR";
            case 15 -> "CUBLAS_STATUS_NOT_SUPPORTED";
            case 16 -> "CUBLAS_STATUS_LICENSE_ERROR";
            default -> "cublasStatus_t";
        };
    }
}
