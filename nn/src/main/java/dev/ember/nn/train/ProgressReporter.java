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
        if (!wanted || console == null || !console.isTerminal()) {
            return NONE;
        }
        return new ConsoleProgress();
    }
}
