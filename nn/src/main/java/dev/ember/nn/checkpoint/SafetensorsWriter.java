package dev.ember.nn.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a safetensors file: tensors in the order added, each F32 or F64 little-endian, the header
 * padded with spaces to a multiple of 8 bytes (as the reference implementation does, so data is
 * aligned). {@link #write} goes through a temporary file in the target's folder, which is forced to
 * disk and then renamed over the target atomically: a crash leaves the old file or the new one,
 * never a half-written one. Not thread-safe.
 */
public final class SafetensorsWriter {
    private record Pending(String name, TensorDType dtype, long[] shape, double[] values) {
    }

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Pending> tensors = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds a tensor; {@code values} (row-major) are rounded to {@code dtype} when it is F32. */
    public SafetensorsWriter tensor(String name, TensorDType dtype, long[] shape, double[] values) {
        if (dtype != TensorDType.F32 && dtype != TensorDType.F64) {
            throw new IllegalArgumentException("safetensors: tensor '" + name + "': only F32 and F64 can be written, got "
                    + dtype);
        }
        if (name.equals("__metadata__") || !names.add(name)) {
            throw new IllegalArgumentException("safetensors: tensor name '" + name + "' is reserved or already used");
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException("safetensors: tensor '" + name + "': " + values.length
                    + " values for shape " + java.util.Arrays.toString(shape));
        }
        tensors.add(new Pending(name, dtype, shape.clone(), values));
        return this;
    }

    /** The whole file as bytes. */
    public byte[] toBytes() {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Pending p : tensors) {
            long bytes = (long) p.values.length * p.dtype.bytes();
            List<Long> shape = new ArrayList<>();
            for (long d : p.shape) {
                shape.add(d);
            }
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("dtype", p.dtype.name());
            e.put("shape", shape);
            e.put("data_offsets", List.of(offset, offset + bytes));
            header.put(p.name, e);
            offset += bytes;
        }
        byte[] text = Json.write(header).getBytes(StandardCharsets.UTF_8);
        byte[] head = java.util.Arrays.copyOf(text, text.length + (8 - text.length % 8) % 8);
        java.util.Arrays.fill(head, text.length, head.length, (byte) ' ');
        long total = 8L + head.length + offset;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors: " + total + " bytes do not fit one array; write fewer tensors");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(head.length).put(head);
        for (Pending p : tensors) {
            if (p.dtype == TensorDType.F32) {
                for (double v : p.values) {
                    out.putFloat((float) v);
                }
            } else {
                for (double v : p.values) {
                    out.putDouble(v);
                }
            }
        }
        return out.array();
    }

    /** Writes the file atomically (see the class comment). */
    public void write(Path target) {
        byte[] bytes = toBytes();
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            keepOrOpenPermissions(tmp, target);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                ch.force(true);   // the data is on disk before the rename makes it visible
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system cannot rename atomically in " + dir, e);
            }
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint " + target + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; a stray temporary file is the lesser problem
                }
            }
        }
    }

    /**
     * A temporary file is created private (0600); the checkpoint should carry the permissions of the
     * file it replaces, or rw-r--r-- for a new one, as a plain write would.
     */
    private static void keepOrOpenPermissions(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** Makes the rename itself durable (POSIX: fsync the directory); a no-op where directories cannot be opened. */
    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException notSupported) {
            // Windows cannot open a directory; the rename is still atomic there
        }
    }
}
