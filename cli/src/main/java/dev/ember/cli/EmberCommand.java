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
        // a failure on another thread (a worker of a backend's pool) is one line too
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            stderr.println("ember: thread " + thread.getName() + ": " + describe(e));
            stderr.flush();
        });
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
        return oneLineErrors(cl);
    }

    /**
     * Makes every failure of {@code cl}'s commands one line on its error writer, never a stack trace:
     * a usage error (exit 2) its message and how to see the usage; an exception (exit 1) its type and
     * message; an {@link Error} such as {@link OutOfMemoryError} (exit 1) what happened, where, and
     * what to do ({@link #describe(Throwable)}).
     */
    static CommandLine oneLineErrors(CommandLine cl) {
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            String name = failed.getCommandSpec().qualifiedName();
            failed.getErr().println(oneLine(String.valueOf(e.getMessage())) + " (usage: " + name + " --help)");
            failed.getErr().flush();
            return CommandLine.ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(e));
            commandLine.getErr().flush();
            return 1;
        });
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return runLast.execute(parseResult);
            } catch (Error e) {   // picocli's handlers see Exceptions only
                CommandLine.ParseResult last = parseResult;
                while (last.subcommand() != null) {
                    last = last.subcommand();
                }
                PrintWriter err = last.commandSpec().commandLine().getErr();
                err.println(last.commandSpec().qualifiedName() + ": " + describe(e));
                err.flush();
                return 1;
            }
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

    /**
     * A failure as one line: an exception's type and message, with its cause's when there is one;
     * for an {@link OutOfMemoryError}, what ran out, the method that was allocating and the heap's
     * limit, with how to raise it; for a {@link StackOverflowError}, the method that recursed.
     */
    static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            long max = Runtime.getRuntime().maxMemory();
            return "out of memory (" + (e.getMessage() == null ? "OutOfMemoryError" : e.getMessage()) + ")"
                    + where(e, " while allocating in ")
                    + (max == Long.MAX_VALUE ? "" : String.format(java.util.Locale.ROOT,
                            "; the Java heap's limit is %d MiB", max >> 20))
                    + ": give the JVM more with -Xmx, e.g. EMBER_JAVA_OPTS=-Xmx8g, or use less data";
        }
        if (e instanceof StackOverflowError) {
            return "stack overflow" + where(e, " in ") + ": the recursion is too deep (a larger stack: -Xss in"
                    + " EMBER_JAVA_OPTS)";
        }
        String s = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage()));
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            s += " (caused by " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + oneLine(cause.getMessage())) + ")";
        }
        return s;
    }

    /**
     * {@code prefix} and the Ember method nearest the top of {@code e}'s stack (the JDK's own frames,
     * such as {@code Arrays.copyOf}, say little), else the top one; nothing when the JVM recorded none.
     */
    private static String where(Throwable e, String prefix) {
        StackTraceElement[] trace = e.getStackTrace();
        if (trace.length == 0) {
            return "";
        }
        StackTraceElement at = trace[0];
        for (StackTraceElement t : trace) {
            if (t.getClassName().startsWith("dev.ember.")) {
                at = t;
                break;
            }
        }
        return prefix + at.getClassName() + "." + at.getMethodName();
    }

    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " / ");
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
