package dev.ember.nn.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An open safetensors file whose header has been validated ({@link SafetensorsHeader}); tensor data
 * is read on demand, each tensor's bytes from its own offsets. Not thread-safe; close it when done.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final SeekableByteChannel channel;
    private final SafetensorsHeader header;
    private final String where;

    private SafetensorsFile(SeekableByteChannel channel, SafetensorsHeader header, String where) {
        this.channel = channel;
        this.header = header;
        this.where = where;
    }

    /**
     * Opens and validates {@code path}. A rule broken is a {@link CheckpointException} whose message
     * starts with {@code checkpoint PATH:}; an unreadable file is an {@link UncheckedIOException}.
     */
    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + path + ": cannot open: " + e.getMessage(), e);
        }
        try {
            return new SafetensorsFile(ch, readHeader(ch, path.toString()), path.toString());
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Validates a whole file held in memory (the fuzz tests' entry point), naming it {@code where} in errors. */
    public static SafetensorsFile of(byte[] file, String where) {
        SeekableByteChannel ch = new ByteArrayChannel(file);
        return new SafetensorsFile(ch, readHeader(ch, where), where);
    }

    private static SafetensorsHeader readHeader(SeekableByteChannel ch, String where) {
        try {
            long size = ch.size();
            ByteBuffer prefix = ByteBuffer.allocate(8);
            if (size >= 8) {
                readFully(ch, prefix, 0);
            }
            int n = SafetensorsHeader.headerLength(prefix, size);   // bounded by the file and the cap
            ByteBuffer header = ByteBuffer.allocate(n);
            readFully(ch, header, 8);
            return SafetensorsHeader.parse(header.array(), size);
        } catch (CheckpointException e) {
            throw e.in(where);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + where + ": cannot read: " + e.getMessage(), e);
        }
    }

    public SafetensorsHeader header() {
        return header;
    }

    /** The values of an F32 or F64 tensor of this file, as doubles (exact for both). */
    public double[] doubles(TensorEntry t) {
        ByteBuffer b = bytes(t);
        double[] out = new double[(int) t.elements()];
        switch (t.dtype()) {
            case F32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = b.getFloat(i * 4);
                }
            }
            case F64 -> b.asDoubleBuffer().get(out);
            default -> throw new CheckpointException(t.name(), "dtype " + t.dtype() + " is not F32 or F64").in(where);
        }
        return out;
    }

    /** The raw little-endian bytes of a tensor (at most the file's size, which the header was checked against). */
    public ByteBuffer bytes(TensorEntry t) {
        if (t.bytes() > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(t.name(), "holds " + t.bytes() + " bytes, more than one Java array can").in(where);
        }
        ByteBuffer b = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(channel, b, header.dataStart() + t.begin());
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + where + ": cannot read tensor '" + t.name() + "': "
                    + e.getMessage(), e);
        }
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void readFully(SeekableByteChannel ch, ByteBuffer b, long position) throws IOException {
        ch.position(position);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("file ended early (truncated while reading?)");
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing with the more useful error
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A read-only channel over a byte array. */
    private static final class ByteArrayChannel implements SeekableByteChannel {
        private final byte[] data;
        private long position;

        ByteArrayChannel(byte[] data) {
            this.data = data;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), data.length - position);
            dst.put(data, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long p) {
            position = p;
            return this;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new UnsupportedOperationException("read-only");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
