package dev.ember.nn.testing;

import dev.ember.nn.data.Dataset;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the small 2-D datasets (header row, label in the last column) from test resources. */
public final class Csv {
    private Csv() {
    }

    public static Dataset resource(String name) {
        try (var in = Csv.class.getResourceAsStream("/data/" + name);
             var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.readLine();
            List<double[]> rows = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    String[] p = line.split(",");
                    double[] v = new double[p.length];
                    for (int i = 0; i < p.length; i++) {
                        v[i] = Double.parseDouble(p[i].trim());
                    }
                    rows.add(v);
                }
            }
            double[][] x = new double[rows.size()][];
            double[] y = new double[rows.size()];
            for (int i = 0; i < x.length; i++) {
                double[] row = rows.get(i);
                x[i] = java.util.Arrays.copyOf(row, row.length - 1);
                y[i] = row[row.length - 1];
            }
            return Dataset.of(x, y);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
