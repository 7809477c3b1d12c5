package dev.ember.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ember bench serve} in-process: bad options stop it before any work, and a tiny run's JSON rows. */
class BenchServeCommandTest {
    record Run(int exitCode, String out, String err) {
    }

    private static Run ember(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EmberCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void badOptionsFailWithOneLineBeforeAnyWork() {
        String[][] cases = {
                {"--batches", "1,0"}, {"--batches", "70000"}, {"--threads", "0"}, {"--rounds", "0"},
                {"--warmup", "-1"}};
        String[] messages = {
                "batch sizes (--batches) must be between 1 and 65536, got 0",
                "batch sizes (--batches) must be between 1 and 65536, got 70000",
                "thread counts (--threads) must be >= 1, got 0",
                "--rounds must be >= 1, got 0",
                "--warmup seconds must be finite and >= 0, got -1.0"};
        for (int i = 0; i < cases.length; i++) {
            // an unknown backend as well: the options are checked before the backend is looked up
            Run r = ember("bench", "serve", "--backend", "no-such-backend", "--json", cases[i][0], cases[i][1]);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err().lines()).as(r.err()).containsExactly(
                    "ember bench serve: IllegalArgumentException: bench serve: " + messages[i]);
        }
    }

    @Test
    void aTinyRunWithoutBaselinesGivesOneRowPerApiAndBatch() throws Exception {
        Run r = ember("bench", "serve", "--backend", "cpu", "--no-baselines", "--batches", "64,128", "--rounds", "1",
                "--warmup", "0", "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode json = Json.mapper().readTree(r.out());
        assertThat(json.get("machine").asText()).contains("logical processors");
        assertThat(json.get("baselines")).isEmpty();
        JsonNode rows = json.get("results");
        assertThat(rows).hasSize(4);
        String[] apis = {"predictInto", "predict", "predictInto", "predict"};
        int[] batches = {64, 64, 128, 128};
        for (int i = 0; i < 4; i++) {
            JsonNode row = rows.get(i);
            assertThat(row.get("batch").asInt()).isEqualTo(batches[i]);
            assertThat(row.get("threads").asInt()).isEqualTo(1);
            assertThat(row.get("engine").asText()).isEqualTo("ember");
            assertThat(row.get("api").asText()).isEqualTo(apis[i]);
            assertThat(row.get("backend").asText()).isEqualTo("cpu");
            assertThat(row.get("us_per_call").asDouble()).isPositive();
            assertThat(row.get("calls_per_s").asDouble()).isPositive();
            assertThat(row.get("bytes_per_call").asDouble()).isNotNegative();
            assertThat(row.get("speedup_vs_numpy").isNull()).as("no numpy row").isTrue();
        }
        assertThat(r.err()).startsWith("machine: ").contains("batch 128 threads=1: ember predictInto ");
    }
}
