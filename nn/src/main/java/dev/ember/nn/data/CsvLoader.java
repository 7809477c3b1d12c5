package dev.ember.nn.data;

import dev.ember.core.Shape;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a comma-separated file with a header row into a {@link Dataset}: every column but the label
 * column is a feature; the label column holds a number per row (a 0/1 class, a class index, or a
 * regression target). Every cell is a finite decimal number ({@code -12}, {@code 0.5},
 * {@code 3.0000000000000004}, {@code 1e-3}): {@code NaN}, {@code Infinity}, numbers beyond the
 * double range such as {@code 1e999}, hexadecimal ({@code 0x1p3}) and Java suffixes ({@code 1d},
 * {@code 2f}) are rejected with one line naming the file, the line, the column and the rule, unless
 * {@link #allowNaN()} lets {@code NaN} stand for a missing feature. Values written with full
 * round-trip precision are read back exactly.
 *
 * <pre>{@code
 * Dataset train = CsvLoader.load(Path.of("data_train.csv"), "y");          // labels [1]
 * Dataset digits = CsvLoader.builder().labelColumn("label").classes(10).load(path);   // one-hot [10]
 * }</pre>
 */
public final class CsvLoader {
    private String labelColumn;
    private int classes;
    private char separator = ',';
    private boolean allowNaN;

    /** A finite decimal number: digits, an optional fraction and an optional exponent; nothing else. */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private CsvLoader() {
    }

    public static CsvLoader builder() {
        return new CsvLoader();
    }

    /** The label column by header name (default: the last column). */
    public CsvLoader labelColumn(String name) {
        this.labelColumn = name;
        return this;
    }

    /** Turn integer labels in {@code [0, classes)} into one-hot labels (default 0: keep the value as a [1] label). */
    public CsvLoader classes(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("csv: classes must be >= 0, got " + count);
        }
        this.classes = count;
        return this;
    }

    /**
     * Accept {@code NaN} (any case) in feature columns, e.g. for missing values a later step fills in.
     * Labels stay finite numbers; infinities are never accepted.
     */
    public CsvLoader allowNaN() {
        this.allowNaN = true;
        return this;
    }

    /** The column separator (default {@code ','}). */
    public CsvLoader separator(char c) {
        this.separator = c;
        return this;
    }

    /** {@code load(path)} with the label column named {@code labelColumn}. */
    public static Dataset load(Path path, String labelColumn) {
        return builder().labelColumn(labelColumn).load(path);
    }

    public Dataset load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return load(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("csv: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Reads from a stream (e.g. a class-path resource); {@code source} names it in error messages. */
    public Dataset load(InputStream in, String source) {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = r.readLine();
            while (header != null && header.isBlank()) {
                header = r.readLine();
            }
            if (header == null) {
                throw new IllegalArgumentException("csv: " + source + " is empty (expected a header row)");
            }
            String[] names = split(stripBom(header));
            int label = names.length - 1;
            if (labelColumn != null) {
                label = Arrays.asList(names).indexOf(labelColumn);
                if (label < 0) {
                    throw new IllegalArgumentException("csv: " + source + " has no column '" + labelColumn
                            + "' (columns: " + String.join(", ", names) + ")");
                }
            }
            if (names.length < 2) {
                throw new IllegalArgumentException("csv: " + source + " needs at least one feature column and a label"
                        + " column, header is '" + header + "'");
            }
            int width = names.length - 1;
            List<double[]> rows = new ArrayList<>();
            List<Double> labels = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line);
                if (cells.length != names.length) {
                    throw new IllegalArgumentException("csv: " + source + " line " + lineNo + " has " + cells.length
                            + " values, the header has " + names.length);
                }
                double[] row = new double[width];
                int k = 0;
                for (int c = 0; c < cells.length; c++) {
                    double v = parse(cells[c], source, lineNo, names[c], allowNaN && c != label);
                    if (c == label) {
                        if (classes > 0 && (v != Math.rint(v) || v < 0 || v >= classes)) {
                            throw new IllegalArgumentException("csv: " + source + " line " + lineNo + ", column '"
                                    + names[c] + "': label " + cells[c] + " is not a class index in [0, " + classes
                                    + ")");
                        }
                        labels.add(v);
                    } else {
                        row[k++] = v;
                    }
                }
                rows.add(row);
                if ((long) rows.size() * width > IdxLoader.MAX_ARRAY_LENGTH) {
                    throw new IllegalArgumentException("csv: " + source + " line " + lineNo + ": more than "
                            + IdxLoader.MAX_ARRAY_LENGTH + " feature values, the most one Java array holds");
                }
            }
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("csv: " + source + " has a header but no rows");
            }
            double[] features = new double[rows.size() * width];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, features, i * width, width);
            }
            if (classes > 0) {
                int[] idx = new int[labels.size()];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = (int) (double) labels.get(i);   // checked when read
                }
                return new Dataset(features, Shape.of(width), Dataset.oneHot(idx, classes), Shape.of(classes));
            }
            double[] y = new double[labels.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = labels.get(i);
            }
            return new Dataset(features, Shape.of(width), y, Shape.of(1));
        } catch (IOException e) {
            throw new UncheckedIOException("csv: cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    private String[] split(String line) {
        String[] parts = line.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) {
                p = p.substring(1, p.length() - 1);
            }
            parts[i] = p;
        }
        return parts;
    }

    private static String stripBom(String s) {
        return s.startsWith("\uFEFF") ? s.substring(1) : s;
    }

    private static double parse(String cell, String source, int line, String column, boolean nanAllowed) {
        if (nanAllowed && cell.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (!DECIMAL.matcher(cell).matches()) {
            throw new IllegalArgumentException("csv: " + source + " line " + line + ", column '" + column
                    + "': '" + cell + "' is not a finite decimal number" + (cell.equalsIgnoreCase("nan")
                    ? " (NaN is accepted in features only with CsvLoader.allowNaN())" : ""));
        }
        double v = Double.parseDouble(cell);
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException("csv: " + source + " line " + line + ", column '" + column
                    + "': '" + cell + "' is beyond the range of a double");
        }
        return v;
    }
}
