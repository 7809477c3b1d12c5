package dev.ember.nn.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated safetensors header: the metadata and the tensor table of a file, checked against the
 * file's real size before anything the header asks for is allocated. {@link #parse} enforces, in
 * this order, with one {@link CheckpointException} per violation:
 * <ol>
 * <li>the file holds the 8-byte little-endian header length, and that length lies within the file
 *     and under {@link #MAX_HEADER_BYTES};</li>
 * <li>the header is UTF-8, starts with {@code '{'} and is well-formed JSON without repeated keys
 *     (so no tensor name appears twice);</li>
 * <li>{@code __metadata__}, when present, maps strings to strings;</li>
 * <li>each tensor has exactly {@code dtype} (a known one), {@code shape} (non-negative integers) and
 *     {@code data_offsets} ({@code [begin, end]}, {@code begin <= end});</li>
 * <li>each shape's byte size equals its offsets' span;</li>
 * <li>the offsets tile the data section: sorted, they start at 0, each begins where the previous
 *     ends (no overlap, no gap), and the last ends at the end of the file.</li>
 * </ol>
 */
public record SafetensorsHeader(Map<String, String> metadata, List<TensorEntry> tensors, long dataStart) {
    /** The largest header accepted, as in the reference implementation (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The most dimensions a tensor may have. */
    public static final int MAX_RANK = 32;

    public SafetensorsHeader {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The tensor named {@code name}, or null. */
    public TensorEntry tensor(String name) {
        for (TensorEntry t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Reads the 8-byte length prefix and checks it against the file size; returns the header's length. */
    static int headerLength(ByteBuffer prefix, long fileSize) {
        if (fileSize < 8) {
            throw new CheckpointException(null, "file of " + fileSize + " bytes is too short for the 8-byte header length");
        }
        long n = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 2 || Long.compareUnsigned(n, MAX_HEADER_BYTES) > 0) {
            throw new CheckpointException(null, "header length " + Long.toUnsignedString(n)
                    + " is outside [2, " + MAX_HEADER_BYTES + "] bytes");
        }
        if (n > fileSize - 8) {
            throw new CheckpointException(null, "header length " + n + " runs past the end of the file ("
                    + fileSize + " bytes)");
        }
        return (int) n;
    }

    /** Validates the header bytes of a file of {@code fileSize} bytes (see the class comment for the rules). */
    static SafetensorsHeader parse(byte[] headerBytes, long fileSize) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(headerBytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(null, "header is not valid UTF-8");
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new CheckpointException(null, "header must start with '{'");
        }
        if (!(Json.parse(text) instanceof Map<?, ?> root)) {
            throw new CheckpointException(null, "header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorEntry> tensors = new ArrayList<>();
        for (Map.Entry<?, ?> e : root.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                metadata(e.getValue(), metadata);
            } else {
                tensors.add(entry(name, e.getValue()));
            }
        }
        long dataStart = 8L + headerBytes.length;
        checkTiling(tensors, fileSize - dataStart);
        return new SafetensorsHeader(metadata, tensors, dataStart);
    }

    private static void metadata(Object value, Map<String, String> out) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new CheckpointException(null, "__metadata__ must be an object of strings");
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new CheckpointException(null, "__metadata__ value '" + e.getKey() + "' must be a string");
            }
            out.put((String) e.getKey(), s);
        }
    }

    private static TensorEntry entry(String name, Object value) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new CheckpointException(name, "must be an object with dtype, shape and data_offsets");
        }
        for (Object key : m.keySet()) {
            if (!key.equals("dtype") && !key.equals("shape") && !key.equals("data_offsets")) {
                throw new CheckpointException(name, "unknown field '" + key + "' (dtype, shape, data_offsets)");
            }
        }
        if (!(m.get("dtype") instanceof String dtypeName)) {
            throw new CheckpointException(name, "dtype is missing or not a string");
        }
        TensorDType dtype = TensorDType.byName(dtypeName);
        if (dtype == null) {
            throw new CheckpointException(name, "unknown dtype '" + dtypeName + "'");
        }
        if (!(m.get("shape") instanceof List<?> dims)) {
            throw new CheckpointException(name, "shape is missing or not an array");
        }
        if (dims.size() > MAX_RANK) {
            throw new CheckpointException(name, "shape has " + dims.size() + " dimensions, more than " + MAX_RANK);
        }
        long[] shape = new long[dims.size()];
        long bytes = dtype.bytes();
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegative(name, "shape", dims.get(i));
            bytes = multiply(name, bytes, shape[i]);
        }
        if (!(m.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
            throw new CheckpointException(name, "data_offsets must be an array [begin, end]");
        }
        long begin = nonNegative(name, "data_offsets", offsets.get(0));
        long end = nonNegative(name, "data_offsets", offsets.get(1));
        if (begin > end) {
            throw new CheckpointException(name, "data_offsets [" + begin + ", " + end + "] end before they begin");
        }
        if (end - begin != bytes) {
            throw new CheckpointException(name, "shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs "
                    + bytes + " bytes but data_offsets [" + begin + ", " + end + "] hold " + (end - begin));
        }
        return new TensorEntry(name, dtype, shape, begin, end);
    }

    private static long nonNegative(String tensor, String field, Object v) {
        if (v instanceof Long n && n >= 0) {
            return n;
        }
        throw new CheckpointException(tensor, field + " must hold non-negative integers below 2^63, got " + v);
    }

    private static long multiply(String tensor, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new CheckpointException(tensor, "shape's byte size overflows 2^63");
        }
    }

    /** The offsets, sorted, must cover {@code [0, dataBytes)} exactly once. */
    private static void checkTiling(List<TensorEntry> tensors, long dataBytes) {
        List<TensorEntry> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long at = 0;
        String previous = null;
        for (TensorEntry t : sorted) {
            if (t.begin() < at) {
                throw new CheckpointException(t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap tensor '" + previous + "', which ends at " + at);
            }
            if (t.begin() > at) {
                throw new CheckpointException(t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] leave a gap after " + (previous == null ? "the header" : "tensor '" + previous + "'")
                        + ", which ends at " + at);
            }
            at = t.end();
            previous = t.name();
        }
        if (at > dataBytes) {
            throw new CheckpointException(previous, "data_offsets end at " + at + " but the data section holds "
                    + dataBytes + " bytes");
        }
        if (at < dataBytes) {
            throw new CheckpointException(null, "the data section holds " + dataBytes + " bytes but the tensors cover "
                    + at + " (trailing bytes)");
        }
    }
}
