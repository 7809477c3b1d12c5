package dev.ember.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stand-ins for libnvrtc and libcublas with the real C signatures (test resources {@code fakes/*.c}),
 * built with the machine's C compiler, so the FFM bindings' calls run where CUDA is absent. Each is
 * found through {@link NativeLibraries}' directory search, which that exercises too.
 */
@SuppressWarnings("restricted")   // binding native libraries is this class's job; the JVM runs with --enable-native-access
final class FakeLibraries {
    private static final Map<String, NativeLibraries.Result> BUILT = new HashMap<>();
    private static Path directory;

    private FakeLibraries() {
    }

    /** The stand-in {@code fake_<name>.c} built as {@code libfake_<name>.so} and loaded (once per JVM). */
    static synchronized NativeLibraries.Result load(String name) {
        NativeLibraries.Result loaded = BUILT.get(name);
        if (loaded != null) {
            return loaded;
        }
        Path cc = Tools.require("cc", List.of());
        try {
            if (directory == null) {
                directory = Files.createTempDirectory("ember-cuda-fakes");
                directory.toFile().deleteOnExit();
            }
            Path source = directory.resolve("fake_" + name + ".c");
            try (InputStream in = FakeLibraries.class.getResourceAsStream("fakes/fake_" + name + ".c")) {
                assertThat(in).as("test resource fakes/fake_" + name + ".c").isNotNull();
                Files.write(source, in.readAllBytes());
            }
            String file = "libfake_" + name + ".so";
            Tools.Run run = Tools.run(List.of(cc.toString(), "-shared", "-fPIC", "-O1", "-o",
                    directory.resolve(file).toString(), source.toString()));
            assertThat(run.exitCode()).as("cc on " + source + ":\n" + run.output()).isZero();
            source.toFile().deleteOnExit();
            directory.resolve(file).toFile().deleteOnExit();
            loaded = NativeLibraries.find("libfake_" + name, null, List.of(file), List.of(directory));
            assertThat(loaded.found()).as(loaded.reason()).isTrue();
            BUILT.put(name, loaded);
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls one of a stand-in's {@code int f(void)} test hooks. */
    static int hook(NativeLibraries.Result library, String function) {
        try {
            return (int) Linker.nativeLinker()
                    .downcallHandle(library.symbols().find(function).orElseThrow(), FunctionDescriptor.of(JAVA_INT))
                    .invokeExact();
        } catch (Throwable e) {
            throw new AssertionError("calling " + function + ": " + e, e);
        }
    }
}
