package dev.ember.nn.data;

import dev.ember.core.Shape;

import java.util.Arrays;

/**
 * Examples held on the host: features {@code [n, ...]} and labels {@code [n, ...]}, row-major.
 * Training moves them to the device once per epoch through a {@link DeviceLoader}.
 *
 * <p>Features are kept in the encoding they were made in: doubles ({@link #Dataset(double[], Shape,
 * double[], Shape)}, exact), floats ({@link #Dataset(float[], Shape, double[], Shape)}, half the heap)
 * or unsigned bytes times a scale ({@link #ofScaledBytes}, an eighth; {@link IdxLoader} reads images
 * so, which keeps Fashion-MNIST's 70 000 images in about 59 MiB instead of 425). Whatever the
 * encoding, each feature is one double ({@link #features()}), and F32 training reads the float
 * nearest it, so the encoding changes the heap, not the numbers. Labels are doubles.
 *
 * <p><b>Threads.</b> Immutable after construction: shared.
 */
public final class Dataset {
    private final Features features;
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
        this(new Features.Doubles(features), featureShape, labels, labelShape);
    }

    /**
     * Features stored as floats: half the heap of doubles, and exactly what F32 training reads
     * (F64 training reads them widened).
     *
     * @param features     row-major features, {@code n * prod(featureShape)} values
     * @param featureShape shape of one example's features
     * @param labels       row-major labels
     * @param labelShape   shape of one example's labels
     */
    public Dataset(float[] features, Shape featureShape, double[] labels, Shape labelShape) {
        this(new Features.Floats(features), featureShape, labels, labelShape);
    }

    /**
     * Features stored as unsigned bytes {@code b} standing for {@code b * scale} (e.g. pixels and
     * 1/255): an eighth of the heap of doubles, and the same doubles as computing {@code b * scale}.
     *
     * @param features     row-major unsigned bytes, {@code n * prod(featureShape)} values
     * @param scale        what one unit of a byte stands for (finite)
     * @param featureShape shape of one example's features
     * @param labels       row-major labels
     * @param labelShape   shape of one example's labels
     * @return the dataset
     */
    public static Dataset ofScaledBytes(byte[] features, double scale, Shape featureShape, double[] labels,
                                        Shape labelShape) {
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("dataset: the scale of byte features must be finite, got " + scale);
        }
        return new Dataset(new Features.ScaledBytes(features, scale), featureShape, labels, labelShape);
    }

    Dataset(Features features, Shape featureShape, double[] labels, Shape labelShape) {
        int per = featureShape.size();
        if (features.length() == 0 || features.length() % per != 0) {
            throw new IllegalArgumentException("dataset: " + features.length() + " feature values do not split into"
                    + " examples of shape " + featureShape);
        }
        this.size = features.length() / per;
        if (labels.length != (long) size * labelShape.size()) {
            throw new IllegalArgumentException("dataset: " + size + " examples of features but " + labels.length
                    + " label values for label shape " + labelShape + " (expected " + (long) size * labelShape.size()
                    + ")");
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

    /**
     * The row-major feature values as doubles: for features stored as doubles the array itself (not
     * a copy: do not modify), for floats or bytes a new array (eight bytes a value: prefer the
     * dataset itself where it will do).
     */
    public double[] features() {
        if (features instanceof Features.Doubles d) {
            return d.values();
        }
        double[] out = new double[features.length()];
        features.copy(0, out, 0, out.length);
        return out;
    }

    /** The stored features, in their encoding. */
    Features store() {
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
        return new Dataset(features.range(from * fp, to * fp), featureShape,
                Arrays.copyOfRange(labels, from * lp, to * lp), labelShape);
    }

    /** The examples at {@code indices}, in that order. */
    public Dataset select(int[] indices) {
        int fp = featureShape.size();
        int lp = labelShape.size();
        double[] l = new double[indices.length * lp];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(labels, indices[i] * lp, l, i * lp, lp);
        }
        return new Dataset(features.rows(indices, fp), featureShape, l, labelShape);
    }

    /** These examples followed by {@code other}'s (same shapes); the features keep a shared encoding. */
    public Dataset concat(Dataset other) {
        if (!other.featureShape.equals(featureShape) || !other.labelShape.equals(labelShape)) {
            throw new IllegalArgumentException("dataset.concat: features " + featureShape + ", labels " + labelShape
                    + " and features " + other.featureShape + ", labels " + other.labelShape + " differ");
        }
        double[] l = Arrays.copyOf(labels, Math.addExact(labels.length, other.labels.length));
        System.arraycopy(other.labels, 0, l, labels.length, other.labels.length);
        return new Dataset(features.concat(other.features), featureShape, l, labelShape);
    }

    /** The same features (shared, not copied) with other labels of the same shape. */
    public Dataset withLabels(double[] newLabels) {
        return new Dataset(features, featureShape, newLabels, labelShape);
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
