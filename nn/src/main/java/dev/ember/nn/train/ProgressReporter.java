package dev.ember.nn.train;

import java.util.Map;

/** Shows training progress; {@link #NONE} shows nothing. */
interface ProgressReporter extends AutoCloseable {
    ProgressReporter NONE = new ProgressReporter() {
    };

    default void beginEpoch(int epoch, int epochs, int steps) {
    }

    default void step() {
    }

    default void endEpoch(Map<String, Double> logs) {
    }

    @Override
    default void close() {
    }

    /** A console bar when asked for and stderr is an interactive terminal, else nothing. */
    static ProgressReporter create(boolean wanted) {
        java.io.Console console = System.console();
        return create(wanted, console != null && console.isTerminal());
    }

    /**
     * The bar needs {@code me.tongfei:progressbar} and JLine (native code), which ember-nn declares
     * optional: without them on the class path a terminal gets one plain line per epoch instead,
     * never a {@code NoClassDefFoundError}.
     */
    static ProgressReporter create(boolean wanted, boolean terminal) {
        if (!wanted || !terminal) {
            return NONE;
        }
        if (ConsoleBarSupport.AVAILABLE) {
            try {
                return new ConsoleProgress();
            } catch (LinkageError e) {   // a jar present but broken, or its native part refused
                return new LineProgress(System.err);
            }
        }
        return new LineProgress(System.err);
    }
}

/** Whether the optional bar's classes can be loaded, checked once without initialising them. */
final class ConsoleBarSupport {
    static final boolean AVAILABLE = loadable("me.tongfei.progressbar.ProgressBar")
            && loadable("org.jline.terminal.TerminalBuilder");

    private ConsoleBarSupport() {
    }

    private static boolean loadable(String name) {
        try {
            Class.forName(name, false, ConsoleBarSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
