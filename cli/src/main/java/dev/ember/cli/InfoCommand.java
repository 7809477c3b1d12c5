package dev.ember.cli;

import dev.ember.core.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code ember info [--json] [--check]}: the JVM, the Vector API, threads, every backend provider
 * with its probe result, and the one {@code auto} selects. Exit code 1 when a check fails or the
 * configured backend ({@code -Dember.backend} / {@code EMBER_BACKEND}) cannot be used.
 */
@Command(name = "info",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = {
                "Shows the Java version, the Vector API species, the CPU thread count, every backend provider "
                        + "(available or not, and why) and the backend 'auto' selects.",
                "Reports go to stderr; with --json the same report goes to stdout as one JSON object."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:everything ran and every check passed",
                "1:a check failed, or the configured backend cannot be used",
                "2:invalid command line"})
public final class InfoCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print the report as one JSON object on stdout (nothing else goes there).")
    boolean json;

    @Option(names = "--check", description = "Also run a GEMM, a softmax and a batch-norm step on every available "
            + "backend, in F32 and F64, and report PASS/FAIL against a float64 reference with timings.")
    boolean check;

    @ParentCommand
    private EmberCommand parent;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        InfoReport report = SystemReport.gather();
        if (check) {
            if (!json) {
                err.println("Running checks on every available backend ...");
                err.flush();
            }
            BackendCheck.Outcome outcome = BackendCheck.runAll(Backends.statuses());
            report = report.withChecks(outcome.results(), outcome.memory());
        }
        if (json) {
            PrintWriter out = parent.json();
            out.println(Json.write(report));
            out.flush();
            if (report.error() != null) {
                err.println("ember info: " + report.error());
            }
        } else {
            TextReport.print(report, err, spec.commandLine().getColorScheme().ansi());
        }
        err.flush();
        boolean failed = report.error() != null || Boolean.FALSE.equals(report.passed());
        return failed ? 1 : CommandLine.ExitCode.OK;
    }
}
