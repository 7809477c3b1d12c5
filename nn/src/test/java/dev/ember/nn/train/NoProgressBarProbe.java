package dev.ember.nn.train;

import dev.ember.core.Backends;
import dev.ember.core.spi.Backend;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs inside {@link WithoutProgressBarTest}'s class loader, which lacks the progress bar and JLine:
 * what a user who leaves out ember-nn's optional dependencies gets. Answers plain strings, since
 * its classes are not the test's.
 */
public final class NoProgressBarProbe implements Supplier<String> {
    @Override
    public String get() {
        StringBuilder report = new StringBuilder();
        try {
            Class.forName("me.tongfei.progressbar.ProgressBar");
            report.append("progress bar visible; ");
        } catch (ClassNotFoundException expected) {
            report.append("no progress bar; ");
        }
        // what fit makes on a terminal: the bar's fallback, one line per epoch
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressReporter terminal = ProgressReporter.create(true, true)) {
            report.append(terminal.getClass().getSimpleName()).append("; ");
        }
        try (ProgressReporter line = new LineProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8))) {
            line.beginEpoch(0, 1, 1);
            line.step();
            line.endEpoch(Map.of("loss", 0.5));
        }
        report.append(bytes.toString(StandardCharsets.UTF_8).strip()).append("; ");
        // and fit itself, asked for progress
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        double[] y = {0, 1, 1, 0};
        try (Backend cpu = Backends.open("cpu", Map.of("threads", "1"));
             Sequential model = new Sequential(new Dense(2, 4), Activation.tanh(), new Dense(1))) {
            model.backend(cpu).seed(1);
            model.compile(new Adam(0.05), Losses.binaryCrossEntropy());
            History h = model.fit(Dataset.of(x, y), FitOptions.defaults().epochs(3).batchSize(4).progress(true));
            report.append("fit ").append(h.epochs()).append(" epochs");
        }
        return report.toString();
    }
}
