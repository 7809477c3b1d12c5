package dev.ember.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.nn.checkpoint.SafetensorsWriter;
import dev.ember.nn.checkpoint.TensorDType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ember inspect}: a valid file listed, a broken one rejected in one line with status 2; {@code lab --save}. */
class InspectCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EmberCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void labSavesEachVariantAndInspectListsIt() throws Exception {
        Path saved = dir.resolve("models");
        Run lab = run("lab", "init", "--scale", "0.01", "--backend", "cpu", "--save", saved.toString());
        assertThat(lab.code()).as(lab.err()).isZero();
        List<Path> files;
        try (var list = Files.list(saved)) {
            files = list.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("init-he.safetensors", "init-random.safetensors", "init-zeros.safetensors");
        Run inspect = run("inspect", files.getFirst().toString(), "--json");
        assertThat(inspect.code()).as(inspect.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(inspect.out());
        assertThat(doc.get("valid").asBoolean()).isTrue();
        assertThat(doc.get("metadata").get("format").asText()).isEqualTo("ember-checkpoint");
        assertThat(doc.get("tensors").get(0).get("name").asText()).isEqualTo("dense_0/kernel");
        assertThat(doc.get("tensors").get(0).get("dtype").asText()).isEqualTo("F32");
        assertThat(doc.get("tensors").get(0).get("shape").toString()).isEqualTo("[2,10]");
        assertThat(doc.get("tensors").get(0).get("bytes").asLong()).isEqualTo(80);
        Run table = run("inspect", files.getFirst().toString());
        assertThat(table.code()).isZero();
        assertThat(table.err()).contains("valid").contains("dense_0/kernel").contains("ember_version");
        assertThat(table.out()).isEmpty();
    }

    @Test
    void aBrokenFileExitsWithStatus2AndOneLineNamingTheTensorAndTheRule() throws Exception {
        byte[] good = new SafetensorsWriter().tensor("w", TensorDType.F32, new long[] {2}, new double[] {1, 2}).toBytes();
        Path bad = dir.resolve("bad.safetensors");
        Files.write(bad, java.util.Arrays.copyOf(good, good.length - 4));   // truncated
        Run r = run("inspect", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").doesNotContain("Exception")
                .isEqualTo("inspect: checkpoint " + bad + ": tensor 'w': data_offsets end at 8 but the data section holds"
                        + " 4 bytes");
        Run missing = run("inspect", dir.resolve("none").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("cannot open");
    }
}
