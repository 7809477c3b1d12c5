package dev.ember.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** How every {@code ember bench} command reports: progress lines on stderr, then JSON on stdout or a table on stderr. */
final class BenchOutput {
    private BenchOutput() {
    }

    /** Prints each progress line on stderr as it comes. */
    static Consumer<String> progress(CommandSpec spec) {
        PrintWriter err = spec.commandLine().getErr();
        return line -> {
            err.println(line);
            err.flush();
        };
    }

    /** The report as JSON on stdout (the root command owns the writer) or as a table on stderr; the exit code. */
    static int report(CommandSpec spec, boolean json, Supplier<Object> document, Supplier<String> table) {
        if (json) {
            PrintWriter out = ((EmberCommand) spec.root().userObject()).json();
            out.println(Json.write(document.get()));
            out.flush();
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.print(table.get());
            err.flush();
        }
        return CommandLine.ExitCode.OK;
    }
}
