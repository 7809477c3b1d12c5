package dev.ember.cli.lab;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * PNG plots with XChart: cost curves (one series per variant) and decision boundaries of 2-D binary
 * classifiers. Each file is written under a temporary name and renamed into place, so a reader never
 * sees half a file. Does nothing without an output directory.
 */
final class Plots {
    private static final Color CLASS0 = new Color(0xd6, 0x27, 0x28);
    private static final Color CLASS1 = new Color(0x1f, 0x77, 0xb4);
    private static final Color AREA0 = new Color(0xf4, 0xc2, 0xc2);
    private static final Color AREA1 = new Color(0xc6, 0xdb, 0xef);

    private final Path dir;
    private final List<String> written = new ArrayList<>();

    Plots(Path dir) {
        this.dir = dir;
        if (dir != null) {
            System.setProperty("java.awt.headless", "true");
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("lab: cannot create the plot directory " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    boolean enabled() {
        return dir != null;
    }

    /** File names written so far. */
    List<String> written() {
        return List.copyOf(written);
    }

    /** Cost against step, one series per variant. */
    void costs(String file, String title, String xLabel, List<VariantResult> variants, boolean logY) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        variants.forEach(v -> series.put(v.name(), v.costs()));
        lines(file, title, xLabel, "cost", logY, series);
    }

    /**
     * Lines through points {@code [x, y]}, one series per key; points that are not finite (or not
     * positive on a logarithmic axis) are left out.
     */
    void lines(String file, String title, String xLabel, String yLabel, boolean logY,
               Map<String, List<double[]>> series) {
        if (dir == null) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setMarkerSize(0);
        chart.getStyler().setYAxisLogarithmic(logY);
        series.forEach((name, points) -> {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] p : points) {
                if (Double.isFinite(p[1]) && (!logY || p[1] > 0)) {
                    x.add(p[0]);
                    y.add(p[1]);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
            }
        });
        save(chart, file);
    }

    /**
     * Points {@code [x, y]}, one marker series per key (e.g. each trial of a search as its
     * learning rate against its dev accuracy).
     */
    void scatter(String file, String title, String xLabel, String yLabel, boolean logX,
                 Map<String, List<double[]>> series) {
        if (dir == null) {
            return;
        }
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setMarkerSize(9);
        series.forEach((name, points) -> {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (double[] p : points) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1]) && (!logX || p[0] > 0)) {
                    x.add(p[0]);
                    y.add(p[1]);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(name, x, y);
            }
        });
        save(chart, file);
    }

    /**
     * The classifier's regions over the data's bounding box (plus a margin) and the labelled points.
     *
     * @param predict probabilities of class 1 for rows {@code [x1, x2]}
     */
    void boundary(String file, String title, double[] features, double[] labels,
                  Function<double[][], double[][]> predict) {
        if (dir == null) {
            return;
        }
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < labels.length; i++) {
            minX = Math.min(minX, features[2 * i]);
            maxX = Math.max(maxX, features[2 * i]);
            minY = Math.min(minY, features[2 * i + 1]);
            maxY = Math.max(maxY, features[2 * i + 1]);
        }
        double padX = 0.1 * (maxX - minX) + 0.05;
        double padY = 0.1 * (maxY - minY) + 0.05;
        minX -= padX;
        maxX += padX;
        minY -= padY;
        maxY += padY;
        int n = 90;
        double[][] grid = new double[n * n][];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                grid[i * n + j] = new double[] {minX + (maxX - minX) * j / (n - 1), minY + (maxY - minY) * i / (n - 1)};
            }
        }
        double[][] p = predict.apply(grid);
        List<Double> ax0 = new ArrayList<>(), ay0 = new ArrayList<>(), ax1 = new ArrayList<>(), ay1 = new ArrayList<>();
        for (int k = 0; k < grid.length; k++) {
            boolean one = p[k][0] > 0.5;
            (one ? ax1 : ax0).add(grid[k][0]);
            (one ? ay1 : ay0).add(grid[k][1]);
        }
        List<Double> px0 = new ArrayList<>(), py0 = new ArrayList<>(), px1 = new ArrayList<>(), py1 = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            boolean one = labels[i] > 0.5;
            (one ? px1 : px0).add(features[2 * i]);
            (one ? py1 : py0).add(features[2 * i + 1]);
        }
        XYChart chart = new XYChartBuilder().width(600).height(600).title(title).xAxisTitle("x1").yAxisTitle("x2")
                .build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisMin(minX).setXAxisMax(maxX).setYAxisMin(minY).setYAxisMax(maxY);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setMarkerSize(7);
        addScatter(chart, "predicted 0", ax0, ay0, AREA0, true);
        addScatter(chart, "predicted 1", ax1, ay1, AREA1, true);
        addScatter(chart, "class 0", px0, py0, CLASS0, false);
        addScatter(chart, "class 1", px1, py1, CLASS1, false);
        save(chart, file);
    }

    private static void addScatter(XYChart chart, String name, List<Double> x, List<Double> y, Color color,
                                   boolean square) {
        if (x.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setMarker(square ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    private void save(XYChart chart, String file) {
        Path target = dir.resolve(file + ".png");
        Path tmp = dir.resolve("." + file + ".tmp-" + ProcessHandle.current().pid() + ".png");
        try {
            // xchart 4.0.3 deprecates every saveBitmap form; the image plus ImageIO is its own path
            if (!javax.imageio.ImageIO.write(BitmapEncoder.getBufferedImage(chart), "png", tmp.toFile())) {
                throw new IOException("no PNG writer in this JDK");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            written.add(target.getFileName().toString());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new UncheckedIOException("lab: cannot write the plot " + target + ": " + e.getMessage(), e);
        }
    }
}
