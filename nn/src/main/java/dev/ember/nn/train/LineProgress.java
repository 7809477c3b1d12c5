package dev.ember.nn.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** The fallback without the optional progress bar: one line per epoch, with its loss and metrics. */
final class LineProgress implements ProgressReporter {
    private final PrintStream out;
    private String epoch = "";

    LineProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void beginEpoch(int epoch, int epochs, int steps) {
        this.epoch = "epoch " + (epoch + 1) + "/" + epochs;
    }

    @Override
    public void endEpoch(Map<String, Double> logs) {
        StringJoiner j = new StringJoiner(" ", epoch + ": ", "");
        logs.forEach((k, v) -> j.add(k + "=" + String.format(Locale.ROOT, "%.4g", v)));
        out.println(j);
    }
}
