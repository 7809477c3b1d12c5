package dev.ember.nn.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Map;
import java.util.StringJoiner;

/** One progress bar per epoch (me.tongfei:progressbar), with the epoch's loss and metrics when it ends. */
final class ConsoleProgress implements ProgressReporter {
    private ProgressBar bar;

    @Override
    public void beginEpoch(int epoch, int epochs, int steps) {
        close();
        bar = new ProgressBarBuilder().setTaskName("epoch " + (epoch + 1) + "/" + epochs).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
    }

    @Override
    public void step() {
        if (bar != null) {
            bar.step();
        }
    }

    @Override
    public void endEpoch(Map<String, Double> logs) {
        if (bar != null) {
            StringJoiner j = new StringJoiner(" ");
            logs.forEach((k, v) -> j.add(k + "=" + String.format("%.4g", v)));
            bar.setExtraMessage(j.toString());
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
