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
 * @param save     where each trained variant's checkpoint goes ({@code --save}), or null for none
 */
public record LabContext(Backend backend, DType dtype, long seed, boolean numpyRng, double scale, Path out,
                         Path dataDir, Consumer<String> progress, Path save) {
    public LabContext(Backend backend, DType dtype, long seed, boolean numpyRng, double scale, Path out, Path dataDir,
                      Consumer<String> progress) {
        this(backend, dtype, seed, numpyRng, scale, out, dataDir, progress, null);
    }

    /** Saves a trained variant as {@code <save>/<experiment>-<variant>.safetensors} when {@code --save} was given. */
    public void saveVariant(dev.ember.nn.model.Model model, String experiment, String variant) {
        if (save == null) {
            return;
        }
        Path file = save.resolve(experiment + "-" + BinaryRun.fileName(variant) + ".safetensors");
        model.save(file);
        progress.accept("  saved " + file);
    }

    /** {@code full} scaled by {@link #scale}, at least 1. */
    public int scaled(int full) {
        return Math.max(1, (int) Math.round(full * scale));
    }

    public String dtypeName() {
        return dtype.name().toLowerCase(java.util.Locale.ROOT);
    }
}
