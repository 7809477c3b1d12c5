package dev.ember.cli;

import dev.ember.nn.checkpoint.CheckpointException;
import dev.ember.nn.checkpoint.Checkpoints;
import dev.ember.nn.checkpoint.SafetensorsFile;
import dev.ember.nn.checkpoint.SafetensorsHeader;
import dev.ember.nn.checkpoint.TensorEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ember inspect FILE}: validates a safetensors file completely (the format's rules and, for an
 * Ember checkpoint, its tensors against the architecture it records) without loading it onto a
 * device, and lists its metadata and tensors. A file that breaks a rule exits with status 2 and one
 * line naming the tensor and the rule.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Validates a checkpoint (safetensors) and lists its metadata and tensors (name, dtype, shape, "
                + "bytes).", "Exit codes: 0 valid, 2 invalid or unreadable."})
public final class InspectCommand implements Callable<Integer> {
    /** The exit code of a file that breaks a rule. */
    static final int INVALID = 2;

    @Parameters(index = "0", paramLabel = "FILE", description = "The checkpoint (.safetensors) to inspect.")
    Path file;

    @Option(names = "--json", description = "Print {file, valid, metadata, tensors: [{name, dtype, shape, bytes}]} "
            + "on stdout.")
    boolean json;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        SafetensorsHeader header;
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            header = Checkpoints.validate(f, file.toString());
        } catch (CheckpointException | UncheckedIOException e) {
            err.println("inspect: " + e.getMessage());
            err.flush();
            return INVALID;
        }
        if (json) {
            PrintWriter out = ((EmberCommand) spec.root().userObject()).json();
            out.println(Json.write(document(header)));
            out.flush();
        } else {
            err.print(table(header));
            err.flush();
        }
        return CommandLine.ExitCode.OK;
    }

    private Map<String, Object> document(SafetensorsHeader header) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("file", file.toString());
        doc.put("valid", true);
        doc.put("metadata", header.metadata());
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (TensorEntry t : header.tensors()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.name());
            m.put("dtype", t.dtype().name());
            m.put("shape", t.shape());
            m.put("bytes", t.bytes());
            tensors.add(m);
        }
        doc.put("tensors", tensors);
        return doc;
    }

    private String table(SafetensorsHeader header) {
        StringBuilder sb = new StringBuilder();
        long total = header.tensors().stream().mapToLong(TensorEntry::bytes).sum();
        sb.append(String.format(Locale.ROOT, "%s: valid, %d tensors, %d bytes of data%n", file,
                header.tensors().size(), total));
        if (!header.metadata().isEmpty()) {
            sb.append(String.format("%nmetadata%n"));
            header.metadata().forEach((k, v) -> sb.append(String.format("  %-16s %s%n", k, v)));
        }
        int width = Math.max(4, header.tensors().stream().mapToInt(t -> t.name().length()).max().orElse(4));
        sb.append(String.format("%n%-" + width + "s  %-5s  %-16s %12s%n", "name", "dtype", "shape", "bytes"));
        for (TensorEntry t : header.tensors()) {
            sb.append(String.format(Locale.ROOT, "%-" + width + "s  %-5s  %-16s %12d%n", t.name(), t.dtype(),
                    t.shapeText(), t.bytes()));
        }
        return sb.toString();
    }
}
