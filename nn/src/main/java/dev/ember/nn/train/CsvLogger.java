package dev.ember.nn.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the history to a CSV file as training goes: a header {@code epoch,<keys>} (the keys of the
 * first epoch's logs, see {@link History}) and one row per epoch, flushed after each, so the file is
 * readable while training runs and after a crash. With {@link #append} a resumed run adds its rows
 * to the file (the header is written only to an empty file). Values are written with
 * {@link Double#toString}, which reads back to the same double.
 */
public final class CsvLogger implements Callback {
    private final Path path;
    private boolean append;
    private BufferedWriter out;
    private List<String> keys;

    public CsvLogger(Path path) {
        if (path == null) {
            throw new IllegalArgumentException("csvLogger: path must not be null");
        }
        this.path = path;
    }

    /** Appends to an existing file instead of replacing it (for a resumed run). */
    public CsvLogger append(boolean on) {
        this.append = on;
        return this;
    }

    @Override
    public void onTrainBegin(int epochs, int stepsPerEpoch) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            boolean continuing = append && Files.exists(path) && Files.size(path) > 0;
            out = Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    continuing ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
            keys = continuing ? header() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("csvLogger: cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /** The existing file's keys, so appended rows keep its column order. */
    private List<String> header() throws IOException {
        try (var lines = Files.lines(path, StandardCharsets.UTF_8)) {
            String first = lines.findFirst().orElse("epoch");
            List<String> k = new ArrayList<>(List.of(first.split(",", -1)));
            k.removeFirst();
            return k;
        }
    }

    @Override
    public void onEpochEnd(int epoch, Map<String, Double> logs) {
        try {
            if (keys == null) {
                keys = List.copyOf(logs.keySet());
                out.write("epoch," + String.join(",", keys));
                out.newLine();
            }
            StringBuilder row = new StringBuilder().append(epoch);
            for (String k : keys) {
                Double v = logs.get(k);
                row.append(',').append(v == null ? "" : v.toString());
            }
            out.write(row.toString());
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("csvLogger: cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void onTrainEnd(History history) {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("csvLogger: cannot close " + path + ": " + e.getMessage(), e);
        }
    }
}
