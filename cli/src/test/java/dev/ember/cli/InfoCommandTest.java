package dev.ember.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.core.BackendUnavailableException;
import dev.ember.core.Backends;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs {@code ember} in-process with captured stdout and stderr. */
class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
            // exactly one JSON document on stdout: readTree would ignore trailing garbage, so parse strictly
            try (var parser = JSON.createParser(out)) {
                JsonNode node = JSON.readTree(parser);
                assertThat(parser.nextToken()).as("anything after the JSON object on stdout").isNull();
                return node;
            }
        }
    }

    static Run ember(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EmberCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @AfterEach
    void clearBackendProperty() {
        System.clearProperty(Backends.PROPERTY);
    }

    @Test
    void jsonReportParsesAndShowsCpuAvailableAndSelected() throws Exception {
        Run run = ember("info", "--json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode info = run.json();
        assertThat(info.get("java").get("version").asText()).isNotBlank();
        assertThat(info.get("java").get("vendor").isTextual()).isTrue();
        assertThat(info.get("vector").get("available").asBoolean()).isTrue();
        assertThat(info.get("vector").get("F32").get("bits").asInt()).isGreaterThanOrEqualTo(64);
        assertThat(info.get("vector").get("F32").get("lanes").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(info.get("vector").get("F64").get("lanes").asInt())
                .isEqualTo(info.get("vector").get("F32").get("lanes").asInt() / 2);
        assertThat(info.get("processors").asInt()).isPositive();
        assertThat(info.has("threads")).as("a CPU-backend setting, shown in its device and options").isFalse();

        List<String> names = new ArrayList<>();
        JsonNode cpu = null;
        for (JsonNode b : info.get("backends")) {
            names.add(b.get("name").asText());
            assertThat(b.has("available") && b.has("reason") && b.has("priority") && b.has("device"))
                    .as("keys of %s", b).isTrue();
            if (b.get("name").asText().equals("cpu")) {
                cpu = b;
            }
        }
        assertThat(names).contains("cpu");
        assertThat(cpu.get("available").asBoolean()).isTrue();
        assertThat(cpu.get("state").asText()).isEqualTo("available");
        assertThat(cpu.get("options").toString()).isEqualTo("[\"memoryLimit\",\"spinMicros\",\"threads\"]");
        assertThat(cpu.get("priority").asInt()).isEqualTo(50);
        assertThat(cpu.get("device").asText()).contains("thread");
        assertThat(info.get("selected").asText()).isEqualTo("cpu");
        assertThat(info.get("requested").asText()).isEqualTo("auto");
        assertThat(info.has("checks")).isFalse();
    }

    @Test
    void textReportGoesToStderrAndNothingToStdout() {
        Run run = ember("info");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Java", "Vector API", "Processors", "cpu", "priority  50", "auto picks cpu",
                "options: memoryLimit, spinMicros, threads (-Dember.cpu.OPTION=VALUE)");
    }

    @Test
    void checkRunsEveryComputationOnEveryAvailableBackendAndPasses() throws Exception {
        Run run = ember("info", "--check", "--json");

        JsonNode info = run.json();
        List<String> available = new ArrayList<>();
        for (JsonNode b : info.get("backends")) {
            if (b.get("available").asBoolean()) {
                available.add(b.get("name").asText());
            }
        }
        assertThat(available).contains("cpu");
        List<String> names = new ArrayList<>();
        for (JsonNode c : info.get("checks")) {
            names.add(c.get("backend").asText() + " " + c.get("dtype").asText() + " " + c.get("check").asText());
            assertThat(c.get("pass").asBoolean()).as("%s: %s", names.getLast(), c.get("message")).isTrue();
            assertThat(c.get("maxRelError").asDouble()).isLessThanOrEqualTo(c.get("tolerance").asDouble());
            assertThat(c.get("millis").asDouble()).isNotNegative();
        }
        List<String> expected = new ArrayList<>();
        for (String backend : available) {
            for (String check : List.of("F32 gemm", "F32 softmax", "F32 batchnorm", "F64 gemm", "F64 softmax",
                    "F64 batchnorm")) {
                expected.add(backend + " " + check);
            }
        }
        assertThat(names).containsExactlyElementsOf(expected);
        assertThat(info.get("passed").asBoolean()).isTrue();
        assertThat(run.exitCode()).isZero();
        for (JsonNode b : info.get("backends")) {   // each backend the checks used reports its memory
            JsonNode memory = b.get("memory");
            assertThat(memory != null).as("memory of %s", b.get("name")).isEqualTo(b.get("available").asBoolean());
            if (memory != null) {
                assertThat(memory.get("totalAllocations").asLong()).isPositive();
                assertThat(memory.get("liveBuffers").asLong()).as("the checks free what they allocate").isZero();
            }
        }
    }

    @Test
    void checkTextShowsVerdictPerComputation() {
        Run run = ember("info", "--check");

        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("Checks against a float64 reference", "cpu", "gemm", "softmax", "batchnorm")
                .containsAnyOf("PASS", "FAIL");
    }

    @Test
    void unknownBackendNameIsAnErrorListingEveryProvider() {
        assertThatThrownBy(() -> Backends.byName("nonsense"))
                .isInstanceOf(BackendUnavailableException.class)
                .hasMessageContaining("unknown backend 'nonsense'")
                .hasMessageContaining("cpu (priority 50): available");
    }

    @Test
    void infoExplainsAnUnusableRequestedBackendAndFails() throws Exception {
        System.setProperty(Backends.PROPERTY, "nonsense");

        Run run = ember("info", "--json");

        assertThat(run.exitCode()).isEqualTo(1);
        JsonNode info = run.json();
        assertThat(info.get("requested").asText()).isEqualTo("nonsense");
        assertThat(info.get("selected").asText()).as("what auto would pick").isEqualTo("cpu");
        assertThat(info.get("error").asText()).contains("unknown backend 'nonsense'", "cpu");
        assertThat(run.err()).contains("unknown backend 'nonsense'", "cpu");
    }

    @Test
    void helpAndVersionGoToStderr() {
        Run help = ember("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).isEmpty();
        assertThat(help.err()).contains("Usage: ember", "info");

        Run infoHelp = ember("info", "--help");
        assertThat(infoHelp.exitCode()).isZero();
        assertThat(infoHelp.err()).contains("--json", "--check");

        Run version = ember("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).isEmpty();
        assertThat(version.err()).startsWith("ember ").doesNotContain("unknown").contains("Java");
    }

    @Test
    void noSubcommandOrUnknownOptionIsAUsageError() {
        Run bare = ember();
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.out()).isEmpty();
        assertThat(bare.err()).contains("Usage: ember");

        Run bad = ember("info", "--nonsense");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown option", "--nonsense");
    }
}
