package dev.ember.cli;

import dev.ember.nn.checkpoint.Checkpoints;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The {@code ember} command. Its rule for output: a command's JSON, and nothing else, goes to
 * standard output; everything meant for a person (help, version, reports, errors) goes to
 * standard error, so {@code ember info --json | python3 -m json.tool} always works.
 */
@Command(name = "ember",
        mixinStandardHelpOptions = true,
        versionProvider = EmberCommand.Version.class,
        description = "Ember: a Java deep-learning compute engine with pluggable compute backends.",
        subcommands = {InfoCommand.class, BenchCommand.class, dev.ember.cli.lab.LabCommand.class, InspectCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Choose a backend with -Dember.backend=auto|cpu|opencl|cuda (the ./ember launcher reads it "
                + "from EMBER_JAVA_OPTS) or the environment variable EMBER_BACKEND."})
public final class EmberCommand implements Callable<Integer> {
    private final PrintWriter json;

    @Spec
    private CommandSpec spec;

    /** @param json where commands write their JSON documents (standard output in the real program) */
    public EmberCommand(PrintWriter json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    public static void main(String[] args) {
        PrintWriter stdout = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter stderr = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = commandLine(stdout, stderr).execute(args);
        stdout.flush();
        stderr.flush();
        System.exit(code);
    }

    /**
     * The configured command line: JSON to {@code stdout}; help, version, reports and errors to
     * {@code stderr}. Tests call this with captured writers and run {@link CommandLine#execute}.
     */
    public static CommandLine commandLine(PrintWriter stdout, PrintWriter stderr) {
        CommandLine cl = new CommandLine(new EmberCommand(stdout));
        cl.setOut(stderr); // picocli prints help and version to "out": for ember that is stderr
        cl.setErr(stderr);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    /** The writer for JSON output. */
    public PrintWriter json() {
        return json;
    }

    /** {@code ember} alone prints the usage and exits with the usage-error code. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /** An exception as one line: its type and message, with the cause's when there is one. */
    static String describe(Throwable e) {
        String s = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            s += " (caused by " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        return s;
    }

    /** Ember's version: the one the library records in its checkpoints. */
    static String version() {
        return Checkpoints.version();
    }

    /** picocli's {@code --version}. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                    "ember " + version(),
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
            };
        }
    }
}
