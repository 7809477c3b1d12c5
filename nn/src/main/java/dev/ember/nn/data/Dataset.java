package dev.ember.nn.data;

import dev.ember.core.Shape;

import java.util.Arrays;

/**
 * Examples held on the host: features {@code [n, ...]} and labels {@code [n, ...]} as row-major
 * doubles. Training moves them to the device once per epoch through a {@link DeviceLoader}.
 *
 * <p><b>Threads.</b> Immutable after construction: shared.
 */
public final class Dataset {
    private final double[] features;
    private final Shape featureShape;
    private final double[] labels;
    private final Shape labelShape;
    private final int size;

    /**
     * @param features     row-major features, {@code n * prod(featureShape)} values
     * @param featureShape shape of one example's features
     * @param labels       row-major labels
     * @param labelShape   shape of one example's labels
     */
    public Dataset(double[] features, Shape featureShape, double[] labels, Shape labelShape) {
        int per = featureShape.size();
        if (features.length == 0 || features.length % per != 0) {
            throw new IllegalArgumentException("dataset: " + features.length + " feature values do not split into"
                    + " examples of shape " + featureShape);
        }
        this.size = features.length / per;
        if (labels.length != (long) size * labelShape.size()) {
            throw new IllegalArgumentException("dataset: " + size + " examples of features but " + labels.length
                    + " label values for label shape " + labelShape + " (expected " + size * labelShape.size() + ")");
        }
        this.features = features;
        this.featureShape = featureShape;
        this.labels = labels;
        this.labelShape = labelShape;
    }

    /** One row per example. */
    public static Dataset of(double[][] x, double[][] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("dataset: " + x.length + " feature rows but " + y.length + " label rows");
        }
        return new Dataset(flatten(x), Shape.of(x[0].length), flatten(y), Shape.of(y[0].length));
    }

    /** Binary (0/1) or regression targets, one per example: labels of shape {@code [1]}. */
    public static Dataset of(double[][] x, double[] y) {
        return new Dataset(flatten(x), Shape.of(x[0].length), y.clone(), Shape.of(1));
    }

    /** Class indices turned into one-hot labels of shape {@code [classes]}. */
    public static Dataset ofClasses(double[][] x, int[] classes, int numClasses) {
        return new Dataset(flatten(x), Shape.of(x[0].length), oneHot(classes, numClasses), Shape.of(numClasses));
    }

    public static double[] oneHot(int[] classes, int numClasses) {
        double[] out = new double[classes.length * numClasses];
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] < 0 || classes[i] >= numClasses) {
                throw new IllegalArgumentException("dataset: class " + classes[i] + " of example " + i
                        + " is outside [0, " + numClasses + ")");
            }
            out[i * numClasses + classes[i]] = 1;
        }
        return out;
    }

    private static double[] flatten(double[][] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("dataset: no examples");
        }
        int w = rows[0].length;
        double[] out = new double[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != w) {
                throw new IllegalArgumentException("dataset: row " + i + " has " + rows[i].length + " values, row 0 has "
                        + w);
            }
            System.arraycopy(rows[i], 0, out, i * w, w);
        }
        return out;
    }

    public int size() {
        return size;
    }

    public Shape featureShape() {
        return featureShape;
    }

    public Shape labelShape() {
        return labelShape;
    }

    /** The row-major feature values (not a copy: do not modify). */
    public double[] features() {
        return features;
    }

    /** The row-major label values (not a copy: do not modify). */
    public double[] labels() {
        return labels;
    }

    /** Examples {@code [from, to)}. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > size || from >= to) {
            throw new IllegalArgumentException("dataset.slice: [" + from + ", " + to + ") is invalid for " + size
                    + " examples");
        }
        int fp = featureShape.size();
        int lp = labelShape.size();
        return new Dataset(Arrays.copyOfRange(features, from * fp, to * fp), featureShape,
                Arrays.copyOfRange(labels, from * lp, to * lp), labelShape);
    }

    /** The examples at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        int fp = featureShape.size();
        int lp = labelShape.size();
        double[] f = new double[indices.length * fp];
        double[] l = new double[indices.length * lp];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * fp, f, i * fp, fp);
            System.arraycopy(labels, indices[i] * lp, l, i * lp, lp);
        }
        return new Dataset(f, featureShape, l, labelShape);
    }

    /** Number of mini-batches of {@code batchSize} (the last one partial). */
    public int batchCount(int batchSize) {
        checkBatchSize(batchSize);
        return (size + batchSize - 1) / batchSize;
    }

    static void checkBatchSize(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
        }
    }

    @Override
    public String toString() {
        return "Dataset(" + size + " examples, features " + featureShape + ", labels " + labelShape + ")";
    }
}
