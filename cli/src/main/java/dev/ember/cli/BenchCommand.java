package dev.ember.cli;

import picocli.CommandLine.Command;

/** {@code ember bench ...}: side-by-side measurements against a baseline on this machine. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = "Measures Ember next to a baseline on this machine (for the full JMH suite run "
                + "bench/target/benchmarks.jar).",
        subcommands = {BenchGemmCommand.class, BenchTrainCommand.class, BenchServeCommand.class})
public final class BenchCommand {
}
