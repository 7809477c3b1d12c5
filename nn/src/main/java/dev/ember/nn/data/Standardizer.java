package dev.ember.nn.data;

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
        double[] x = train.features();
        double[] mean = new double[w];
        double[] std = new double[w];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                mean[j] += x[i * w + j];
            }
        }
        for (int j = 0; j < w; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < w; j++) {
                double d = x[i * w + j] - mean[j];
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

    /** A new dataset with standardised features (labels shared). */
    public Dataset apply(Dataset d) {
        int w = mean.length;
        if (d.featureShape().size() != w) {
            throw new IllegalArgumentException("standardizer: fitted on " + w + " features, got a dataset with "
                    + d.featureShape().size());
        }
        double[] x = d.features();
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int j = i % w;
            out[i] = (x[i] - mean[j]) / std[j];
        }
        return new Dataset(out, d.featureShape(), d.labels(), d.labelShape());
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }
}
