package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.cli.EmberCommand;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code ember lab ...} in-process with captured stdout (JSON) and stderr. */
final class LabRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LabRuns() {
    }

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws Exception {
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

    static JsonNode variant(JsonNode result, String name) {
        for (JsonNode v : result.get("variants")) {
            if (v.get("name").asText().equals(name)) {
                return v;
            }
        }
        throw new AssertionError("no variant " + name + " in " + result);
    }

    /** The recorded cost at {@code step}. */
    static double cost(JsonNode variant, int step) {
        for (JsonNode p : variant.get("costs")) {
            if (p.get(0).asInt() == step) {
                return p.get(1).asDouble();
            }
        }
        throw new AssertionError("no cost at step " + step + " in " + variant.get("name"));
    }
}
