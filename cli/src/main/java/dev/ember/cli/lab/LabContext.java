package dev.ember.cli.lab;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What every experiment runs with.
 *
 * @param backend  where the tensors live
 * @param dtype    F32 or F64
 * @param seed     seed of the Philox initialisers, dropout masks and shuffles (ignored with {@code numpyRng})
 * @param numpyRng draw weights, masks and shuffles exactly as the numpy originals do (their fixed seeds)
 * @param scale    fraction of the full iteration/epoch counts to run (1 = the published run)
 * @param out      where PNG plots go, or null for none
 * @param dataDir  Fashion-MNIST directory (for the experiments that use it)
 * @param progress where progress lines go (stderr)
 */
public record LabContext(Backend backend, DType dtype, long seed, boolean numpyRng, double scale, Path out,
                         Path dataDir, Consumer<String> progress) {
    /** {@code full} scaled by {@link #scale}, at least 1. */
    public int scaled(int full) {
        return Math.max(1, (int) Math.round(full * scale));
    }

    public String dtypeName() {
        return dtype.name().toLowerCase(java.util.Locale.ROOT);
    }
}
