package dev.ember.nn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nn} stands strictly above {@code core}'s public API: no spans, operands, device buffers or
 * raw kernel calls on a backend, so every operation it runs goes through core's argument checks.
 */
class LayeringTest {
    /** What only the SPI level may touch. */
    private static final Pattern BELOW_CORE = Pattern.compile(
            "dev\\.ember\\.core\\.spi\\.(Span|Operand|DeviceBuffer|DerivedOps)\\b|\\.span\\(\\)"
                    + "|backend\\(\\)\\s*\\.\\s*(gemm|unary|binary|reduce|fill|cast|copyStrided|activation\\w*|softmax\\w*"
                    + "|batchNorm\\w*|\\w+Update|evaluate|random|write|read)\\(");

    @Test
    void nnMainUsesOnlyCoresPublicApi() throws IOException {
        Path sources = Path.of("src/main/java");
        assertThat(sources).as("run from the nn module's folder").isDirectory();
        List<String> offences;
        try (Stream<Path> files = Files.walk(sources)) {
            offences = files.filter(p -> p.toString().endsWith(".java")).flatMap(LayeringTest::offences).toList();
        }
        assertThat(offences).as("nn/src/main must use core's public API only").isEmpty();
    }

    private static Stream<String> offences(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return IntStream.range(0, lines.size())
                    .filter(i -> BELOW_CORE.matcher(lines.get(i)).find())
                    .mapToObj(i -> file + ":" + (i + 1) + ": " + lines.get(i).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
