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
