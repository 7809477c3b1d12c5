package dev.ember.nn.checkpoint;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The safetensors reader's rules, one broken file per rule, and the writer's atomic replace. */
class SafetensorsFormatTest {
    @TempDir
    Path dir;

    @Test
    void writtenFilesReadBackExactly() {
        byte[] bytes = new SafetensorsWriter().metadata("k", "v \"quoted\"")
                .tensor("w", TensorDType.F32, new long[] {2, 3}, new double[] {1, 2, 3, 4, 5, -0.0})
                .tensor("b", TensorDType.F64, new long[] {1}, new double[] {Math.PI})
                .tensor("empty", TensorDType.F32, new long[] {0}, new double[0]).toBytes();
        try (SafetensorsFile f = SafetensorsFile.of(bytes, "memory")) {
            SafetensorsHeader h = f.header();
            assertThat(h.metadata()).containsEntry("k", "v \"quoted\"");
            assertThat(h.dataStart() % 8).as("header padded to 8 bytes").isZero();
            assertThat(f.doubles(h.tensor("w"))).containsExactly(1, 2, 3, 4, 5, -0.0);
            assertThat(f.doubles(h.tensor("b"))).containsExactly(Math.PI);
            assertThat(h.tensor("w").shape()).containsExactly(2, 3);
        }
    }

    @TestFactory
    Stream<DynamicTest> eachBrokenRuleIsOneClearException() {
        return HostileFiles.broken().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () ->
                assertThatThrownBy(() -> SafetensorsFile.of((byte[]) e.getValue()[0], "f.safetensors"))
                        .isInstanceOf(CheckpointException.class)
                        .hasMessageStartingWith("checkpoint f.safetensors: ")
                        .hasMessageContaining((String) e.getValue()[1])
                        .satisfies(t -> assertThat(t.getMessage()).doesNotContain("\n"))));
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        new SafetensorsWriter().tensor("a", TensorDType.F32, new long[] {1}, new double[] {1}).write(target);
        new SafetensorsWriter().tensor("a", TensorDType.F32, new long[] {1}, new double[] {2}).write(target);
        try (SafetensorsFile f = SafetensorsFile.open(target)) {
            assertThat(f.doubles(f.header().tensor("a"))).containsExactly(2);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model.safetensors");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFile() throws IOException {
        Path target = dir.resolve("model.safetensors");
        new SafetensorsWriter().tensor("a", TensorDType.F32, new long[] {1}, new double[] {1}).write(target);
        Files.createDirectory(dir.resolve("sub"));
        Path blocked = dir.resolve("sub");   // a directory where the file should go: the rename fails
        Files.writeString(blocked.resolve("x"), "keeps the directory non-empty");
        assertThatThrownBy(() -> new SafetensorsWriter().tensor("a", TensorDType.F32, new long[] {1},
                new double[] {2}).write(blocked)).hasMessageContaining("cannot write");
        try (SafetensorsFile f = SafetensorsFile.open(target); Stream<Path> files = Files.list(dir)) {
            assertThat(f.doubles(f.header().tensor("a"))).containsExactly(1);
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("model.safetensors", "sub");
        }
    }
}
