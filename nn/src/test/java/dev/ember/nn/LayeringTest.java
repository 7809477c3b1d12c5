package dev.ember.nn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nn} stands strictly above {@code core}'s public API: no spans, operands, device buffers or
 * calls to a backend's kernels, so every operation it runs goes through core's argument checks.
 * Read from the compiled classes' constant pools (the JDK's class-file API), so neither a wildcard
 * import nor a local {@code Backend} variable hides a use.
 */
class LayeringTest {
    /** SPI types only a backend or core may touch. */
    private static final Set<String> BELOW_CORE = Set.of("dev/ember/core/spi/Span", "dev/ember/core/spi/Operand",
            "dev/ember/core/spi/DeviceBuffer", "dev/ember/core/spi/DerivedOps");
    /** Backend methods that are not kernels: naming a backend and reading its memory statistics. */
    private static final Set<String> BACKEND_METHODS_ALLOWED = Set.of("name", "device", "memory");

    @Test
    void nnMainUsesOnlyCoresPublicApi() throws IOException {
        Path classes = Path.of("target/classes/dev/ember/nn");
        assertThat(classes).as("run from the nn module's folder after compiling it").isDirectory();
        List<String> offences = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                offences.addAll(offences(file));
            }
        }
        assertThat(offences).as("nn/src/main must use core's public API only").isEmpty();
    }

    private static List<String> offences(Path file) {
        ClassModel model;
        try {
            model = ClassFile.of().parse(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> found = new ArrayList<>();
        String self = model.thisClass().asInternalName();
        for (PoolEntry entry : model.constantPool()) {
            if (entry instanceof ClassEntry c && BELOW_CORE.contains(c.asInternalName())) {
                found.add(self + " uses " + c.asInternalName());
            } else if (entry instanceof MemberRefEntry m
                    && m.owner().asInternalName().equals("dev/ember/core/spi/Backend")
                    && !BACKEND_METHODS_ALLOWED.contains(m.name().stringValue())) {
                found.add(self + " calls Backend." + m.name().stringValue());
            }
        }
        return found;
    }
}
