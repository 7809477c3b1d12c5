package dev.ember.cli.lab;

import dev.ember.nn.data.CsvLoader;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.data.IdxLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The datasets of the lab: the 2-D course sets shipped as resources, and Fashion-MNIST from disk. */
final class LabData {
    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    static final Path FASHION_DEFAULT = Path.of("/usr/share/datasets/fashion-mnist");

    private LabData() {
    }

    /** {@code football_train}, {@code football_test}, {@code circles_train}, {@code circles_test}, {@code moons_train}. */
    static Dataset course(String name) {
        String resource = "data/" + name + ".csv";
        try (InputStream in = LabData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("lab: the resource " + resource + " is missing from the CLI jar");
            }
            return CsvLoader.builder().labelColumn("y").load(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What an experiment needs of Fashion-MNIST.
     *
     * @param trainExamples training-set examples it needs at least
     * @param breakdown     what they are for, e.g. "2000 training + 1000 dev"
     * @param testSet       whether it reads the test set too
     */
    record FashionNeeds(int trainExamples, String breakdown, boolean testSet) {
    }

    /**
     * Checks, from the files' headers only, that {@code dir} (null: the default) holds what an
     * experiment needs; one line naming what is missing or short.
     */
    static void checkFashion(Path dir, String experiment, FashionNeeds needs) {
        Path d = dir == null ? FASHION_DEFAULT : dir;
        Path images = find(d, "train-images-idx3-ubyte");
        find(d, "train-labels-idx1-ubyte");
        if (needs.testSet()) {
            find(d, "t10k-images-idx3-ubyte");
            find(d, "t10k-labels-idx1-ubyte");
        }
        requireExamples(experiment, needs, IdxLoader.dimensions(images)[0], d);
    }

    /** Fashion-MNIST's training set, checked against what {@code experiment} needs at {@code ctx}'s scale. */
    static Dataset fashionTraining(LabContext ctx, Experiment experiment) {
        Dataset all = fashion(ctx.dataDir(), true);
        requireExamples(experiment.name(), experiment.fashionNeeds(ctx.scale()), all.size(),
                ctx.dataDir() == null ? FASHION_DEFAULT : ctx.dataDir());
        return all;
    }

    private static void requireExamples(String experiment, FashionNeeds needs, int have, Path dir) {
        if (have < needs.trainExamples()) {
            throw new IllegalArgumentException("lab " + experiment + ": needs " + needs.trainExamples()
                    + " Fashion-MNIST training examples (" + needs.breakdown() + "), the training set in " + dir
                    + " has " + have);
        }
    }

    /** Fashion-MNIST's training or test set, pixels scaled to [0, 1], one-hot labels over 10 classes. */
    static Dataset fashion(Path dir, boolean train) {
        Path d = dir == null ? FASHION_DEFAULT : dir;
        String prefix = train ? "train" : "t10k";
        Path images = find(d, prefix + "-images-idx3-ubyte");
        Path labels = find(d, prefix + "-labels-idx1-ubyte");
        return IdxLoader.images(images, labels, 10, 1 / 255.0);
    }

    private static Path find(Path dir, String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalArgumentException("lab: Fashion-MNIST not found: no " + base + "[.gz] in " + dir
                + ". Install it with 'sudo apt-get install dataset-fashion-mnist' (it goes to " + FASHION_DEFAULT
                + "), or download the four *-ubyte.gz files from https://github.com/zalandoresearch/fashion-mnist"
                + " and pass --data DIR");
    }
}
