package dev.ember.nn.data;

import dev.ember.core.DType;

/**
 * Per-feature standardisation {@code (x - mean) / std}, fitted on one dataset (the training split,
 * never dev or test, so no information leaks from them) and applied to any other with the same
 * feature width. A feature that is constant in the fitted data gets std 1 (it is only centred).
 */
public final class Standardizer {
    private final double[] mean;
    private final double[] std;

    private Standardizer(double[] mean, double[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Means and (population) standard deviations of every feature of {@code train}. */
    public static Standardizer fit(Dataset train) {
        int w = train.featureShape().size();
        int n = train.size();
        Features x = train.store();
        double[] mean = new double[w];
        double[] std = new double[w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                mean[j] += x.get(i * w + j);
            }
        }
        for (int j = 0; j < w; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                double d = x.get(i * w + j) - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < w; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (!(std[j] > 1e-12)) {
                std[j] = 1;
            }
        }
        return new Standardizer(mean, std);
    }

    /** A new dataset with standardised features stored as doubles (labels shared). */
    public Dataset apply(Dataset d) {
        return apply(d, DType.F64);
    }

    /**
     * A new dataset with standardised features (labels shared), each computed in double and stored
     * as {@code storage}: F64 keeps doubles; F32 keeps floats, half the heap and exactly the values
     * F32 training would read from the doubles.
     */
    public Dataset apply(Dataset d, DType storage) {
        int w = mean.length;
        if (d.featureShape().size() != w) {
            throw new IllegalArgumentException("standardizer: fitted on " + w + " features, got a dataset with "
                    + d.featureShape().size());
        }
        Features x = d.store();
        int n = x.length();
        return switch (storage) {
            case F64 -> {
                double[] out = new double[n];
                for (int i = 0; i < n; i++) {
                    out[i] = standardised(x, i, w);
                }
                yield new Dataset(out, d.featureShape(), d.labels(), d.labelShape());
            }
            case F32 -> {
                float[] out = new float[n];
                for (int i = 0; i < n; i++) {
                    out[i] = (float) standardised(x, i, w);
                }
                yield new Dataset(out, d.featureShape(), d.labels(), d.labelShape());
            }
        };
    }

    private double standardised(Features x, int i, int w) {
        int j = i % w;
        return (x.get(i) - mean[j]) / std[j];
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }
}
