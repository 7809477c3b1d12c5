package dev.ember.nn.data;

import java.util.SplittableRandom;

/**
 * The example order of each epoch. The default is a seeded Fisher–Yates shuffle that depends only
 * on (seed, epoch); supply another to reproduce an outside order (numpy's {@code permutation} with a
 * seed incremented per epoch, for instance). Returning {@code null} keeps the original order.
 */
@FunctionalInterface
public interface Shuffler {
    int[] permutation(int size, int epoch);

    /** No shuffling: the data's own order every epoch. */
    static Shuffler none() {
        return (size, epoch) -> null;
    }

    /** A Fisher–Yates shuffle from {@code SplittableRandom(seed + epoch)}-mixed streams. */
    static Shuffler seeded(long seed) {
        return (size, epoch) -> {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            int[] p = new int[size];
            for (int i = 0; i < size; i++) {
                p[i] = i;
            }
            for (int i = size - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = p[i];
                p[i] = p[j];
                p[j] = t;
            }
            return p;
        };
    }
}
