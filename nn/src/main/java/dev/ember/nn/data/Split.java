package dev.ember.nn.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A train/dev/test split of one dataset, seeded, optionally stratified (each class keeps its share
 * in every part). The dev and test parts may be empty (null) when their fraction is 0.
 *
 * <pre>{@code
 * Split s = Split.of(data, 0.8, 0.1, 0.1).seed(7).stratified(true).apply();
 * }</pre>
 */
public final class Split {
    /** The parts; {@code dev} or {@code test} is null when its fraction is 0. */
    public record Parts(Dataset train, Dataset dev, Dataset test) {
    }

    private final Dataset data;
    private final double trainFraction;
    private final double devFraction;
    private final double testFraction;
    private long seed;
    private boolean stratified;

    private Split(Dataset data, double train, double dev, double test) {
        for (double f : new double[] {train, dev, test}) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("split: fractions must be in [0, 1], got " + train + "/" + dev
                        + "/" + test);
            }
        }
        if (Math.abs(train + dev + test - 1) > 1e-9) {
            throw new IllegalArgumentException("split: fractions must sum to 1, got " + train + " + " + dev + " + "
                    + test + " = " + (train + dev + test));
        }
        if (train == 0) {
            throw new IllegalArgumentException("split: the training fraction must be > 0");
        }
        this.data = data;
        this.trainFraction = train;
        this.devFraction = dev;
        this.testFraction = test;
    }

    public static Split of(Dataset data, double train, double dev, double test) {
        return new Split(data, train, dev, test);
    }

    public Split seed(long s) {
        this.seed = s;
        return this;
    }

    /** Keep each class's proportion in every part (classes from one-hot arg-max or the [1] label value). */
    public Split stratified(boolean on) {
        this.stratified = on;
        return this;
    }

    public Parts apply() {
        int n = data.size();
        List<int[]> groups = new ArrayList<>();
        if (stratified) {
            Map<Integer, List<Integer>> byClass = new LinkedHashMap<>();
            int[] cls = classesOf(data);
            for (int i = 0; i < n; i++) {
                byClass.computeIfAbsent(cls[i], k -> new ArrayList<>()).add(i);
            }
            new java.util.TreeMap<>(byClass).values().forEach(l -> groups.add(l.stream().mapToInt(Integer::intValue)
                    .toArray()));
        } else {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            groups.add(all);
        }
        SplittableRandom r = new SplittableRandom(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> dev = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int[] g : groups) {
            shuffle(g, r);
            int nTest = (int) Math.round(g.length * testFraction);
            int nDev = (int) Math.round(g.length * devFraction);
            if (nTest + nDev > g.length) {
                nDev = g.length - nTest;
            }
            for (int i = 0; i < g.length; i++) {
                (i < nTest ? test : i < nTest + nDev ? dev : train).add(g[i]);
            }
        }
        return new Parts(part(train, r, "train"), part(dev, r, null), part(test, r, null));
    }

    private Dataset part(List<Integer> idx, SplittableRandom r, String required) {
        if (idx.isEmpty()) {
            if (required != null) {
                throw new IllegalArgumentException("split: the " + required + " part of " + data.size()
                        + " examples is empty");
            }
            return null;
        }
        int[] a = idx.stream().mapToInt(Integer::intValue).toArray();
        if (stratified) {
            shuffle(a, r);   // mix the classes again
        }
        return data.select(a);
    }

    private static void shuffle(int[] a, SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Class index per example: arg-max of one-hot labels, or the (rounded) value of a [1] label. */
    public static int[] classesOf(Dataset d) {
        int k = d.labelShape().size();
        double[] y = d.labels();
        int[] out = new int[d.size()];
        for (int i = 0; i < out.length; i++) {
            if (k == 1) {
                out[i] = (int) Math.round(y[i]);
            } else {
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (y[i * k + j] > y[i * k + best]) {
                        best = j;
                    }
                }
                out[i] = best;
            }
        }
        return out;
    }
}
