package dev.ember.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet in the README is a compact source file under {@code src/main/java}, byte for
 * byte: its first line names the file ({@code // TrainNetwork.java}). The build compiles those files,
 * so a README snippet that stops compiling fails the build; this test fails when the README and the
 * files drift apart, and runs each program once.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FILE_LINE = Pattern.compile("// (\\w+\\.java)\\n");

    /** File name to snippet text, in README order. */
    static Map<String, String> snippets() throws IOException {
        Map<String, String> found = new TreeMap<>();
        Matcher m = JAVA_BLOCK.matcher(Files.readString(README));
        while (m.find()) {
            String code = m.group(1);
            Matcher name = FILE_LINE.matcher(code);
            assertThat(name.lookingAt()).as("a README java block must start with '// Name.java':%n%s", code).isTrue();
            assertThat(found.put(name.group(1), code)).as("two README blocks named " + name.group(1)).isNull();
        }
        return found;
    }

    @Test
    public void everyReadmeSnippetIsAnExampleSourceAndBack() throws IOException {
        Map<String, String> snippets = snippets();
        assertThat(snippets).isNotEmpty();
        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(SOURCES)) {
            s.filter(p -> p.toString().endsWith(".java")).forEach(p -> files.add(p.getFileName().toString()));
        }
        assertThat(files).as("examples without a README snippet, or snippets without a file")
                .containsExactlyInAnyOrderElementsOf(snippets.keySet());
        for (var e : snippets.entrySet()) {
            assertThat(Files.readString(SOURCES.resolve(e.getKey()))).as(e.getKey() + " differs from its README snippet")
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    public void theReadmeDependencyBlockImportsTheBomAndListsTheLibrary() throws IOException {
        String readme = Files.readString(README);
        Matcher xml = Pattern.compile("```xml\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(xml.find()).as("the README's dependency block").isTrue();
        String block = xml.group(1);
        assertThat(block).contains("<artifactId>ember-bom</artifactId>", "<scope>import</scope>",
                "<artifactId>ember-core</artifactId>", "<artifactId>ember-nn</artifactId>",
                "<artifactId>ember-backend-cpu</artifactId>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FirstTensors", "OneThreadBackend", "TrainNetwork", "TracedStep", "SaveAndResume", "ServePredictions"})
    public void theSnippetRuns(String program) throws Exception {
        // an implicitly declared class cannot be named in source: reach it by reflection
        Class<?> c = Class.forName(program);
        Constructor<?> constructor = c.getDeclaredConstructor();
        constructor.setAccessible(true);
        Method main = c.getDeclaredMethod("main");
        main.setAccessible(true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            main.invoke(constructor.newInstance());
        } finally {
            System.setOut(saved);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        saved.print(program + ": " + out);
        assertThat(out).isNotBlank().doesNotContain("NaN");
        if (program.equals("TrainNetwork")) {
            double accuracy = Double.parseDouble(out.replaceAll("(?s)dev accuracy ([0-9.]+),.*", "$1"));
            assertThat(accuracy).isGreaterThan(0.9);
        }
        if (program.equals("SaveAndResume")) {
            assertThat(out).contains("resumed after epoch");
        }
        if (program.equals("TracedStep")) {
            assertThat(out).contains("traces 1");
        }
    }
}
