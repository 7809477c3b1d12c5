package dev.ember.nn.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not (detected from the
 * content, not the name): a magic number {@code 0x0000TTDD} with type byte TT (0x08 unsigned byte,
 * 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double) and DD dimensions, the
 * dimensions as big-endian ints, then the data in row-major order, big-endian.
 */
public final class IdxLoader {
    private IdxLoader() {
    }

    /** An IDX array: its dimensions and its values as doubles. */
    public record IdxArray(int[] dims, double[] values) {
        public int count() {
            return dims.length == 0 ? 1 : dims[0];
        }

        /** Values per item (the product of the dimensions after the first). */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }

        /** The values as integer labels. */
        public int[] asLabels() {
            int[] out = new int[values.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (int) values[i];
            }
            return out;
        }
    }

    public static IdxArray read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("idx: no file " + path);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("idx: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public static IdxArray read(InputStream raw, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16),
                1 << 16) : buffered;
        DataInputStream d = new DataInputStream(in);
        int magic;
        try {
            magic = d.readInt();
        } catch (EOFException e) {
            throw new IllegalArgumentException("idx: " + source + " is too short for an IDX header");
        }
        if ((magic >>> 16) != 0) {
            throw new IllegalArgumentException(String.format("idx: %s does not start with an IDX magic number"
                    + " (0x0000TTDD), found 0x%08x", source, magic));
        }
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = d.readInt();
            if (dims[i] < 0) {
                throw new IllegalArgumentException("idx: " + source + " has a negative dimension " + dims[i]);
            }
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("idx: " + source + " holds " + total + " values, too many for one array");
        }
        double[] values = new double[(int) total];
        try {
            switch (type) {
                case 0x08 -> {
                    byte[] bytes = new byte[values.length];
                    d.readFully(bytes);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = bytes[i] & 0xff;
                    }
                }
                case 0x09 -> {
                    byte[] bytes = new byte[values.length];
                    d.readFully(bytes);
                    for (int i = 0; i < values.length; i++) {
                        values[i] = bytes[i];
                    }
                }
                case 0x0B -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = d.readShort();
                    }
                }
                case 0x0C -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = d.readInt();
                    }
                }
                case 0x0D -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = d.readFloat();
                    }
                }
                case 0x0E -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = d.readDouble();
                    }
                }
                default -> throw new IllegalArgumentException(String.format("idx: %s has unknown data type 0x%02x",
                        source, type));
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("idx: " + source + " ends before its " + total + " values");
        }
        return new IdxArray(dims, values);
    }

    /**
     * Images and labels as a classification dataset: features flattened per image and multiplied by
     * {@code scale} (e.g. 1/255), labels one-hot over {@code classes}.
     */
    public static Dataset images(Path imageFile, Path labelFile, int classes, double scale) {
        IdxArray images = read(imageFile);
        IdxArray labels = read(labelFile);
        if (images.count() != labels.count()) {
            throw new IllegalArgumentException("idx: " + imageFile + " holds " + images.count() + " images but "
                    + labelFile + " holds " + labels.count() + " labels");
        }
        double[] x = images.values();
        if (scale != 1) {
            for (int i = 0; i < x.length; i++) {
                x[i] *= scale;
            }
        }
        return new Dataset(x, dev.ember.core.Shape.of(images.itemSize()), Dataset.oneHot(labels.asLabels(), classes),
                dev.ember.core.Shape.of(classes));
    }
}
