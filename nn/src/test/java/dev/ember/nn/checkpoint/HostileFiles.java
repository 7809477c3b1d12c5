package dev.ember.nn.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Hand-made safetensors files, valid and broken, shared by the format test and the fuzz corpus. */
final class HostileFiles {
    private HostileFiles() {
    }

    /** A file with {@code header} (JSON text) and {@code dataBytes} zero bytes of data. */
    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h)
                .array();
    }

    /** An 8-byte prefix claiming {@code length} header bytes, followed by {@code rest}. */
    static byte[] prefix(long length, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(rest).array();
    }

    /** Broken files by name, each with a fragment its error message must contain. */
    static Map<String, Object[]> broken() {
        Map<String, Object[]> m = new LinkedHashMap<>();
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        m.put("too-short", new Object[] {new byte[] {1, 2, 3}, "too short for the 8-byte header length"});
        m.put("header-length-huge", new Object[] {prefix(Long.MAX_VALUE, new byte[16]), "is outside [2, 100000000]"});
        m.put("header-length-negative", new Object[] {prefix(-1, new byte[16]), "is outside"});
        m.put("header-length-past-end", new Object[] {prefix(1000, "{}".getBytes(StandardCharsets.UTF_8)),
                "runs past the end of the file"});
        m.put("not-json", new Object[] {file("{\"a\":", 0), "not well-formed JSON"});
        m.put("not-object", new Object[] {file("[1]     ", 0), "must start with '{'"});
        m.put("deep", new Object[] {file("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}", 0), "nested deeper"});
        m.put("bad-utf8", new Object[] {prefix(4, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}), "not valid UTF-8"});
        m.put("duplicate", new Object[] {file("{" + a + "," + a + "}", 8), "repeats the key 'a'"});
        m.put("unknown-dtype", new Object[] {file("{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a': unknown dtype 'F33'"});
        m.put("size-mismatch", new Object[] {file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8"});
        m.put("shape-overflow", new Object[] {file("{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],"
                + "\"data_offsets\":[0,8]}}", 8), "tensor 'a': shape's byte size overflows"});
        m.put("negative-dim", new Object[] {file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a': shape must hold non-negative integers"});
        m.put("offsets-past-end", new Object[] {file("{" + a + "}", 4), "tensor 'a': data_offsets end at 8 but the data"
                + " section holds 4 bytes"});
        m.put("overlap", new Object[] {file("{" + a + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "overlap tensor 'a'"});
        m.put("gap", new Object[] {file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "tensor 'b': data_offsets [4, 8] leave a gap"});
        m.put("trailing-bytes", new Object[] {file("{" + a + "}", 12), "trailing bytes"});
        m.put("reversed-offsets", new Object[] {file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
                "end before they begin"});
        m.put("metadata-not-strings", new Object[] {file("{\"__metadata__\":{\"k\":1}}", 0),
                "__metadata__ value 'k' must be a string"});
        m.put("extra-field", new Object[] {file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", 8),
                "tensor 'a': unknown field 'x'"});
        return m;
    }
}
