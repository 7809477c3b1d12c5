package dev.ember.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Finds a CUDA library for the FFM bindings without caring which CUDA release installed it: the
 * bindings use only C entry points that are the same in every release, so any of the sonames will do.
 * Tries, in order: the file a system property names; each file name (newest soname first) through the
 * dynamic loader, which honours {@code LD_LIBRARY_PATH}; the same names in {@code $CUDA_HOME/lib64},
 * {@code /usr/local/cuda/lib64} and {@code /usr/local/cuda/targets/x86_64-linux/lib}. Loaded libraries
 * stay loaded for the life of the JVM. Also binds their functions ({@link #function}) and reads the C
 * strings they return ({@link #cString}), the same way for every binding.
 */
@SuppressWarnings("restricted")   // binding native libraries is this class's job; the JVM runs with --enable-native-access
public final class NativeLibraries {
    /** Where a CUDA toolkit keeps its libraries when the dynamic loader does not know them. */
    static final List<String> TOOLKIT_DIRECTORIES = List.of("/usr/local/cuda/lib64",
            "/usr/local/cuda/targets/x86_64-linux/lib");

    private NativeLibraries() {
    }

    /**
     * A library's symbols and the file they came from, or why none could be loaded.
     *
     * @param symbols the loaded library, or null when none was found
     * @param file    what was loaded (a soname or a path), or null
     * @param reason  one line listing everything tried, when none was found; when one was found, the
     *                attempts that failed before it (empty if none)
     */
    public record Result(SymbolLookup symbols, String file, String reason) {
        /** Whether a library was loaded. */
        public boolean found() {
            return symbols != null;
        }
    }

    /**
     * Finds a library in the default places.
     *
     * @param what     the library's name for messages, e.g. {@code libnvrtc}
     * @param property a system property that may name the file to load, e.g. {@code ember.cuda.nvrtc}
     * @param names    file names to try, newest soname first, e.g. {@code libnvrtc.so.13, libnvrtc.so.12}
     */
    public static Result find(String what, String property, List<String> names) {
        List<Path> directories = new ArrayList<>();
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null && !cudaHome.isBlank()) {
            directories.add(Path.of(cudaHome.trim(), "lib64"));
        }
        TOOLKIT_DIRECTORIES.forEach(d -> directories.add(Path.of(d)));
        return find(what, property, names, directories);
    }

    /** {@link #find(String, String, List)} with the directories to search given. Never throws. */
    static Result find(String what, String property, List<String> names, List<Path> directories) {
        List<String> failures = new ArrayList<>();
        String requested = property == null ? null : System.getProperty(property);
        if (requested != null && !requested.isBlank()) {
            Path path = Path.of(requested.trim());
            String label = "-D" + property + "=" + path;
            if (!Files.exists(path)) {
                failures.add(label + " (no such file)");
            } else {
                Attempt attempt = open(path.toString(), () -> SymbolLookup.libraryLookup(path, Arena.global()));
                if (attempt.symbols != null) {
                    return new Result(attempt.symbols, path.toString(), "");
                }
                failures.add(doesNotLoad(label, attempt));
            }
        }
        List<String> notOpened = new ArrayList<>();
        for (String name : names) {
            Attempt attempt = open(name, () -> SymbolLookup.libraryLookup(name, Arena.global()));
            if (attempt.symbols != null) {
                return new Result(attempt.symbols, name, String.join("; ", failures));
            }
            notOpened.add(name);
        }
        // FFM does not pass on dlerror(): "could not open" covers both absent and a dependency missing
        failures.add("dynamic loader (LD_LIBRARY_PATH, ld.so.cache) could not open " + String.join(", ", notOpened));
        Set<Path> searched = new LinkedHashSet<>();
        for (Path directory : directories) {
            if (!searched.add(directory.toAbsolutePath().normalize())) {
                continue;
            }
            for (String name : names) {
                Path path = directory.resolve(name);
                if (!Files.exists(path)) {
                    continue;
                }
                Attempt attempt = open(path.toString(), () -> SymbolLookup.libraryLookup(path, Arena.global()));
                if (attempt.symbols != null) {
                    return new Result(attempt.symbols, path.toString(), String.join("; ", failures));
                }
                failures.add(doesNotLoad(path.toString(), attempt));
            }
        }
        failures.add("no loadable file in " + String.join(", ", searched.stream().map(Path::toString).toList()));
        return new Result(null, null, what + " not found: tried " + String.join("; ", failures));
    }

    private record Attempt(SymbolLookup symbols, String error) {
    }

    private static String doesNotLoad(String what, Attempt attempt) {
        return what + " (exists but does not load, e.g. a dependency is not on LD_LIBRARY_PATH: " + attempt.error + ")";
    }

    private interface Opener {
        SymbolLookup open();
    }

    /** One dlopen; a failure (missing file, wrong architecture, native access denied) becomes a message. */
    private static Attempt open(String what, Opener opener) {
        try {
            return new Attempt(Objects.requireNonNull(opener.open(), what), null);
        } catch (RuntimeException | LinkageError e) {
            String message = e.getMessage();
            return new Attempt(null, e.getClass().getSimpleName() + (message == null ? "" : ": " + message));
        }
    }

    /**
     * A downcall handle for a C function of a loaded library.
     *
     * @throws IllegalStateException naming the function and the file when the library lacks it
     */
    static MethodHandle function(Result library, String name, FunctionDescriptor signature) {
        MemorySegment address = library.symbols().find(name).orElseThrow(() -> new IllegalStateException(
                "symbol " + name + " is missing from " + library.file()));
        return Linker.nativeLinker().downcallHandle(address, signature);
    }

    /** Like {@link #function}, or null when the library lacks the function (one newer than some releases). */
    static MethodHandle optionalFunction(Result library, String name, FunctionDescriptor signature) {
        return library.symbols().find(name)
                .map(address -> Linker.nativeLinker().downcallHandle(address, signature))
                .orElse(null);
    }

    /** The NUL-terminated string a C function returned (static storage), or null for a NULL pointer. */
    static String cString(MemorySegment pointer) {
        if (pointer.address() == 0) {
            return null;
        }
        // a returned char* has size 0 to FFM: widen it to read up to the terminating NUL
        return pointer.reinterpret(Long.MAX_VALUE).getString(0);
    }
}
