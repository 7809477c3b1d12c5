package dev.ember.nn.data;

import dev.ember.core.Shape;
import dev.ember.nn.random.NumpyRandomState;

/**
 * Seeded toy classification problems in two dimensions (the same seed gives the same points on
 * every machine): two concentric circles, two interleaving half-moons, interleaved spirals and
 * Gaussian blobs. Binary problems have labels of shape {@code [1]} (0/1); multi-class ones
 * (spirals and blobs with more than two classes) one-hot labels. Examples come shuffled.
 */
public final class Generators {
    private Generators() {
    }

    /** Outer circle (radius 1) = 0, inner circle (radius {@code factor}) = 1, Gaussian noise σ = {@code noise}. */
    public static Dataset circles(int n, double noise, double factor, long seed) {
        check(n, noise, "circles");
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("circles: factor must be in (0, 1), got " + factor);
        }
        NumpyRandomState r = new NumpyRandomState(seed);
        int outer = n / 2;
        double[] x = new double[2 * n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            boolean inner = i >= outer;
            int k = inner ? i - outer : i;
            int count = inner ? n - outer : outer;
            double t = 2 * Math.PI * k / count;
            double rad = inner ? factor : 1;
            x[2 * i] = rad * Math.cos(t) + noise * r.nextGaussian();
            x[2 * i + 1] = rad * Math.sin(t) + noise * r.nextGaussian();
            c[i] = inner ? 1 : 0;
        }
        return shuffled(x, c, 2, r);
    }

    /** Upper moon = 0, lower moon = 1, Gaussian noise σ = {@code noise}. */
    public static Dataset moons(int n, double noise, long seed) {
        check(n, noise, "moons");
        NumpyRandomState r = new NumpyRandomState(seed);
        int upper = n / 2;
        double[] x = new double[2 * n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            boolean lower = i >= upper;
            int k = lower ? i - upper : i;
            int count = lower ? n - upper : upper;
            double t = Math.PI * k / Math.max(1, count - 1);
            x[2 * i] = (lower ? 1 - Math.cos(t) : Math.cos(t)) + noise * r.nextGaussian();
            x[2 * i + 1] = (lower ? 0.5 - Math.sin(t) : Math.sin(t)) + noise * r.nextGaussian();
            c[i] = lower ? 1 : 0;
        }
        return shuffled(x, c, 2, r);
    }

    /** {@code classes} interleaved spiral arms of {@code n / classes} points each, with angular noise. */
    public static Dataset spirals(int n, int classes, double noise, long seed) {
        check(n, noise, "spirals");
        if (classes < 2) {
            throw new IllegalArgumentException("spirals: classes must be >= 2, got " + classes);
        }
        NumpyRandomState r = new NumpyRandomState(seed);
        double[] x = new double[2 * n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            int cls = (int) ((long) i * classes / n);
            int first = (int) Math.ceil((double) cls * n / classes);
            int last = (int) Math.ceil((double) (cls + 1) * n / classes);
            double frac = (i - first) / (double) Math.max(1, last - first - 1);
            double radius = frac;
            double theta = cls * 2 * Math.PI / classes + frac * 4 + noise * r.nextGaussian();
            x[2 * i] = radius * Math.sin(theta);
            x[2 * i + 1] = radius * Math.cos(theta);
            c[i] = cls;
        }
        return shuffled(x, c, classes, r);
    }

    /** {@code classes} isotropic Gaussian blobs of standard deviation {@code std}, centres uniform in [-10, 10]². */
    public static Dataset blobs(int n, int classes, double std, long seed) {
        check(n, std, "blobs");
        if (classes < 2) {
            throw new IllegalArgumentException("blobs: classes must be >= 2, got " + classes);
        }
        NumpyRandomState r = new NumpyRandomState(seed);
        double[] centres = new double[2 * classes];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = -10 + 20 * r.nextDouble();
        }
        double[] x = new double[2 * n];
        int[] c = new int[n];
        for (int i = 0; i < n; i++) {
            int cls = i % classes;
            x[2 * i] = centres[2 * cls] + std * r.nextGaussian();
            x[2 * i + 1] = centres[2 * cls + 1] + std * r.nextGaussian();
            c[i] = cls;
        }
        return shuffled(x, c, classes, r);
    }

    private static void check(int n, double noise, String what) {
        if (n < 2) {
            throw new IllegalArgumentException(what + ": n must be >= 2, got " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException(what + ": noise must be >= 0 and finite, got " + noise);
        }
    }

    private static Dataset shuffled(double[] x, int[] classes, int numClasses, NumpyRandomState r) {
        int n = classes.length;
        int[] p = r.permutation(n);
        double[] xs = new double[x.length];
        int[] cs = new int[n];
        for (int i = 0; i < n; i++) {
            xs[2 * i] = x[2 * p[i]];
            xs[2 * i + 1] = x[2 * p[i] + 1];
            cs[i] = classes[p[i]];
        }
        if (numClasses == 2) {
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = cs[i];
            }
            return new Dataset(xs, Shape.of(2), y, Shape.of(1));
        }
        return new Dataset(xs, Shape.of(2), Dataset.oneHot(cs, numClasses), Shape.of(numClasses));
    }
}
