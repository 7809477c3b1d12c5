package dev.ember.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template preprocessor the build runs ({@code src/build/Spp.java}), launched as Maven launches
 * it: substitutions, blocks, inline conditions, stale outputs, and the errors that fail the build.
 */
class SppTest {
    private static final Path SPP = Path.of("src/build/Spp.java");

    @TempDir
    Path dir;

    @Test
    void expandsOneTemplateIntoBothDtypes() throws Exception {
        write("p/X-Thing.java.template", """
                package p;
                /** $dtype$ */
                class $Type$Thing {
                    $type$ one = ($type$) 1;
                    $type$ get(Args a) { return a.$x$(0) + Simd.$species$.length() + Simd.$lanes$; }
                #if[F32] why F32 differs
                    int onlyF32;
                #else[F32]
                    int onlyF64;
                #end[F32]
                    int {#if[F32]?small:big};
                    int x{#if[F64]?64};
                }
                """);
        Files.createDirectories(dir.resolve("out/p"));
        Files.writeString(dir.resolve("out/p/FloatGone.java"), "stale");

        assertThat(run().exit).isZero();

        assertThat(Files.readString(dir.resolve("out/p/FloatThing.java")))
                .startsWith("// GENERATED from p/X-Thing.java.template for F32")
                .contains("/** F32 */", "class FloatThing", "float one = (float) 1;",
                        "return a.f(0) + Simd.F.length() + Simd.FL;", "int onlyF32;", "int small;", "int x;")
                .doesNotContain("onlyF64", "why F32 differs", "#");
        assertThat(Files.readString(dir.resolve("out/p/DoubleThing.java")))
                .contains("class DoubleThing", "double one = (double) 1;", "a.d(0) + Simd.D.length() + Simd.DL",
                        "int onlyF64;", "int big;", "int x64;")
                .doesNotContain("onlyF32");
        assertThat(dir.resolve("out/p/FloatGone.java")).doesNotExist();
    }

    @Test
    void failsWithTheTemplatesLineOnBadInput() throws Exception {
        for (List<String> bad : List.of(
                List.of("class A { $nope$ x; }", "X-A.java.template:1: unknown variable $nope$"),
                List.of("#if[F16]\n#end[F16]", "X-A.java.template:1: unknown key F16"),
                List.of("#if[F32]\nint a;", "#if[F32] is never closed"),
                List.of("int a;\n#end[F64]", "X-A.java.template:2: #end[F64] does not close any open #if"),
                List.of("#iff[F32]", "X-A.java.template:1: not a directive"))) {
            write("X-A.java.template", bad.get(0));
            Result result = run();
            assertThat(result.exit).as(bad.get(0)).isNotZero();
            assertThat(result.output).as(bad.get(0)).contains(bad.get(1));
        }
    }

    private void write(String template, String text) throws IOException {
        Path file = dir.resolve("templates").resolve(template);
        Files.createDirectories(file.getParent());
        try (var old = Files.list(dir.resolve("templates"))) {
            for (Path p : old.filter(p -> p.toString().endsWith(".template")).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(file, text);
    }

    private Result run() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), SPP.toString(), dir.resolve("templates").toString(),
                dir.resolve("out").toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        return new Result(process.waitFor(), output);
    }

    private record Result(int exit, String output) {
    }
}
