package dev.ember.nn.data;

import dev.ember.core.Shape;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not (detected from the
 * content, not the name): a magic number {@code 0x0000TTDD} with type byte TT (0x08 unsigned byte,
 * 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double) and DD dimensions, the
 * dimensions as big-endian ints, then the data in row-major order, big-endian.
 *
 * <p>The header is not trusted: its dimensions are multiplied with overflow checks, the values must
 * fit one Java array, and before anything is allocated for them the claimed size is checked against
 * the file's (an uncompressed file must be exactly header plus values; a gzip cannot hold more than
 * {@value #DEFLATE_MAX_RATIO} times its own size). Compressed data is then read into a buffer that
 * grows only as bytes arrive, so a stream that lies costs no more memory than it delivers. Every
 * rejection is one {@link IllegalArgumentException} line naming the file, the field and the rule.
 */
public final class IdxLoader {
    /** Deflate expands at most 1032-fold, so a gzip of n bytes inflates to at most 1032 n bytes. */
    public static final long DEFLATE_MAX_RATIO = 1032;
    /** The most elements one Java array holds (the JDK's own limit, a little under {@code Integer.MAX_VALUE}). */
    public static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;
    /** The first buffer for compressed data; it doubles as bytes arrive, up to the claimed size. */
    private static final int FIRST_CHUNK = 1 << 20;

    private IdxLoader() {
    }

    /**
     * An IDX array as read: its type byte, dimensions and payload as stored (big-endian).
     *
     * @param source where it was read from, for messages
     * @param type   the type byte (0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)
     * @param dims   the dimensions (at least one)
     * @param data   the values as stored in the file, big-endian
     */
    public record IdxArray(String source, int type, int[] dims, byte[] data) {
        /** Number of items: the first dimension. */
        public int count() {
            return dims[0];
        }

        /** Values per item (the product of the dimensions after the first, checked when read). */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dims.length; i++) {
                s *= dims[i];
            }
            return s;
        }

        /** Number of values. */
        public int length() {
            return data.length / elementBytes(type);
        }

        /** Value {@code i} as a double. */
        public double value(int i) {
            return decode(ByteBuffer.wrap(data), type, i);
        }

        /** All values as doubles (a new array). */
        public double[] values() {
            ByteBuffer b = ByteBuffer.wrap(data);   // big-endian, as IDX stores values
            double[] out = new double[length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = decode(b, type, i);
            }
            return out;
        }

        private static double decode(ByteBuffer b, int type, int i) {
            return switch (type) {
                case 0x08 -> b.get(i) & 0xff;
                case 0x09 -> b.get(i);
                case 0x0B -> b.getShort(2 * i);
                case 0x0C -> b.getInt(4 * i);
                case 0x0D -> b.getFloat(4 * i);
                default -> b.getDouble(8 * i);
            };
        }

        /**
         * The values as class indices in {@code [0, classes)}: one per item, each an integer in range
         * (a float label 3.7 or NaN is an error, not class 3 or 0).
         */
        public int[] asLabels(int classes) {
            if (itemSize() != 1) {
                throw new IllegalArgumentException("idx: " + source + ": dimensions " + Arrays.toString(dims)
                        + ": labels must be one value per example");
            }
            int[] out = new int[count()];
            for (int i = 0; i < out.length; i++) {
                double v = value(i);
                if (v != Math.rint(v)) {   // NaN and infinities too
                    throw new IllegalArgumentException("idx: " + source + ": label of example " + i + " is " + v
                            + ": labels must be integers");
                }
                if (v < 0 || v >= classes) {
                    throw new IllegalArgumentException("idx: " + source + ": label of example " + i + " is "
                            + (long) v + ": labels must be in [0, " + classes + ")");
                }
                out[i] = (int) v;
            }
            return out;
        }
    }

    /** Reads {@code path}, checking its header against the file's size before reading the values. */
    public static IdxArray read(Path path) {
        return read(path, -1, null);
    }

    /** {@code expectedCount >= 0}: the first dimension must be that, the number of labels in {@code labelFile}. */
    private static IdxArray read(Path path, int expectedCount, Path labelFile) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("idx: no file " + path);
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), Files.size(path), expectedCount, labelFile);
        } catch (IOException e) {
            throw new UncheckedIOException("idx: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads from a stream whose size is unknown; {@code source} names it in messages. Memory grows
     * only with the bytes the stream delivers.
     */
    public static IdxArray read(InputStream raw, String source) throws IOException {
        return read(raw, source, -1, -1, null);
    }

    /**
     * The reader itself: {@code fileSize} the stream's length when known (else -1), checked against
     * the header; {@code expectedCount} the first dimension it must have (else -1), the number of
     * labels in {@code labelFile}.
     */
    static IdxArray read(InputStream raw, String source, long fileSize, int expectedCount, Path labelFile)
            throws IOException {
        try {
            Opened o = open(raw);
            Header h = header(o.in, source);
            if (expectedCount >= 0 && h.dims[0] != expectedCount) {
                throw new IllegalArgumentException("idx: " + source + ": dimension 0 is " + h.dims[0]
                        + " images: must match the " + expectedCount + " labels of " + labelFile);
            }
            if (fileSize >= 0) {
                h.checkAgainst(fileSize, o.gzip);
            }
            byte[] data = fileSize >= 0 && !o.gzip ? exactly(o.in, h) : growing(o.in, h);
            if (o.in.read() >= 0) {
                throw new IllegalArgumentException("idx: " + source + ": size: there are bytes after its "
                        + h.values + " values");
            }
            return new IdxArray(source, h.type, h.dims, data);
        } catch (ZipException e) {
            throw new IllegalArgumentException("idx: " + source + ": gzip: " + e.getMessage());
        } catch (EOFException e) {   // inflating a truncated stream
            throw new IllegalArgumentException("idx: " + source + ": gzip: the compressed data ends early");
        }
    }

    /**
     * The dimensions {@code path}'s header claims, checked as {@link #read(Path)} checks them
     * (against the file's size too), without reading the values: a cheap look before a long job.
     */
    public static int[] dimensions(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("idx: no file " + path);
        }
        try (InputStream raw = Files.newInputStream(path)) {
            Opened o = open(raw);
            Header h = header(o.in, path.toString());
            h.checkAgainst(Files.size(path), o.gzip);
            return h.dims.clone();
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException("idx: " + path + ": gzip: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("idx: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** A stream of the file's content, inflated when the content is a gzip (detected from its first bytes). */
    private record Opened(InputStream in, boolean gzip) {
    }

    private static Opened open(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new Opened(gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered, gzip);
    }

    /** A parsed, checked header. */
    private record Header(String source, int type, int[] dims, long values, long payloadBytes) {
        long headerBytes() {
            return 4L + 4L * dims.length;
        }

        void checkAgainst(long fileSize, boolean gzip) {
            if (!gzip && fileSize != headerBytes() + payloadBytes) {
                throw new IllegalArgumentException("idx: " + source + ": size: the header claims " + values
                        + " values (" + headerBytes() + " + " + payloadBytes + " bytes), the file has " + fileSize
                        + " bytes");
            }
            if (gzip && headerBytes() + payloadBytes > fileSize * DEFLATE_MAX_RATIO) {
                throw new IllegalArgumentException("idx: " + source + ": size: the header claims " + values
                        + " values (" + payloadBytes + " bytes), more than a gzip of " + fileSize
                        + " bytes can hold (" + fileSize * DEFLATE_MAX_RATIO + ")");
            }
        }
    }

    private static Header header(InputStream in, String source) throws IOException {
        byte[] magic = new byte[4];
        if (in.readNBytes(magic, 0, 4) < 4) {
            throw new IllegalArgumentException("idx: " + source + ": header: too short for an IDX magic number");
        }
        int m = ByteBuffer.wrap(magic).getInt();
        if ((m >>> 16) != 0) {
            throw new IllegalArgumentException(String.format("idx: %s: magic number 0x%08x: must be 0x0000TTDD",
                    source, m));
        }
        int type = (m >>> 8) & 0xff;
        if (elementBytes(type) == 0) {
            throw new IllegalArgumentException(String.format("idx: %s: data type 0x%02x: must be 0x08, 0x09, 0x0B,"
                    + " 0x0C, 0x0D or 0x0E", source, type));
        }
        int rank = m & 0xff;
        if (rank == 0) {
            throw new IllegalArgumentException("idx: " + source + ": dimension count 0: must be at least 1");
        }
        byte[] dimBytes = new byte[4 * rank];
        if (in.readNBytes(dimBytes, 0, dimBytes.length) < dimBytes.length) {
            throw new IllegalArgumentException("idx: " + source + ": header: ends before its " + rank
                    + " dimensions");
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = ByteBuffer.wrap(dimBytes).getInt(4 * i);
            if (dims[i] < 0) {
                throw new IllegalArgumentException("idx: " + source + ": dimension " + i + " is " + dims[i]
                        + ": must be >= 0");
            }
        }
        long values = 1;
        for (int d : dims) {
            values = values * d;   // <= MAX_ARRAY_LENGTH * 2^31: cannot overflow a long
            if (values > MAX_ARRAY_LENGTH) {
                throw new IllegalArgumentException("idx: " + source + ": dimensions " + Arrays.toString(dims)
                        + ": more than " + MAX_ARRAY_LENGTH + " values, the most one Java array holds");
            }
        }
        long item = 1;
        for (int i = 1; i < rank; i++) {
            item *= dims[i];
            if (item > MAX_ARRAY_LENGTH) {   // a 0 first dimension hides a huge item size from the product
                throw new IllegalArgumentException("idx: " + source + ": dimensions " + Arrays.toString(dims)
                        + ": more than " + MAX_ARRAY_LENGTH + " values per item");
            }
        }
        long bytes = values * elementBytes(type);
        if (bytes > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException("idx: " + source + ": dimensions " + Arrays.toString(dims) + ": "
                    + values + " values of " + elementBytes(type) + " bytes, more than the " + MAX_ARRAY_LENGTH
                    + " bytes one Java array holds");
        }
        return new Header(source, type, dims, values, bytes);
    }

    /** Bytes per value of type {@code type}, or 0 for an unknown type. */
    private static int elementBytes(int type) {
        return switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }

    /** The payload of a file whose size was checked against the header: one allocation. */
    private static byte[] exactly(InputStream in, Header h) throws IOException {
        byte[] data = new byte[(int) h.payloadBytes];
        int n = in.readNBytes(data, 0, data.length);
        if (n < data.length) {
            throw endsEarly(h, n);
        }
        return data;
    }

    /** The payload of a stream of unknown length: the buffer grows only as bytes actually arrive. */
    private static byte[] growing(InputStream in, Header h) throws IOException {
        int total = (int) h.payloadBytes;
        byte[] data = new byte[Math.min(total, FIRST_CHUNK)];
        int n = 0;
        while (n < total) {
            if (n == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
            }
            int r;
            try {
                r = in.read(data, n, data.length - n);
            } catch (EOFException e) {   // a truncated gzip
                r = -1;
            }
            if (r < 0) {
                throw endsEarly(h, n);
            }
            n += r;
        }
        return data;
    }

    private static IllegalArgumentException endsEarly(Header h, long got) {
        return new IllegalArgumentException("idx: " + h.source + ": size: ends after " + got + " of the "
                + h.payloadBytes + " bytes of values its header claims");
    }

    /**
     * Images and labels as a classification dataset: features flattened per image and multiplied by
     * {@code scale} (e.g. 1/255), labels one-hot over {@code classes}. The labels are read first and
     * must be integers in {@code [0, classes)}; the images' header must then claim as many images.
     * Unsigned-byte images stay bytes ({@link Dataset#ofScaledBytes}); other types become doubles.
     */
    public static Dataset images(Path imageFile, Path labelFile, int classes, double scale) {
        if (classes < 1) {
            throw new IllegalArgumentException("idx: classes must be >= 1, got " + classes);
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("idx: scale must be finite, got " + scale);
        }
        int[] labels = read(labelFile).asLabels(classes);
        IdxArray images = read(imageFile, labels.length, labelFile);
        if (images.count() == 0 || images.itemSize() == 0) {
            throw new IllegalArgumentException("idx: " + imageFile + ": dimensions " + Arrays.toString(images.dims())
                    + ": holds no values");
        }
        Shape feature = Shape.of(images.itemSize());
        double[] oneHot = Dataset.oneHot(labels, classes);
        if (images.type() == 0x08) {
            return Dataset.ofScaledBytes(images.data(), scale, feature, oneHot, Shape.of(classes));
        }
        double[] x = images.values();
        for (int i = 0; i < x.length; i++) {
            x[i] *= scale;
        }
        return new Dataset(x, feature, oneHot, Shape.of(classes));
    }
}
