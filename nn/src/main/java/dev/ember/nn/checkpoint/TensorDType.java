package dev.ember.nn.checkpoint;

import dev.ember.core.DType;

import java.util.Locale;

/**
 * The element types of the safetensors format and their sizes. Every one is accepted by the reader
 * (so {@code ember inspect} lists any valid file); only {@link #F32} and {@link #F64} load into a model.
 */
public enum TensorDType {
    BOOL(1), U8(1), I8(1), F8_E4M3(1), F8_E5M2(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    I64(8), U64(8), F64(8);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The dtype named {@code name} in a header, or null if the format has none of that name. */
    static TensorDType byName(String name) {
        for (TensorDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }

    /** Ember's dtype for this one, or null when Ember computes in no such type. */
    public DType ember() {
        return switch (this) {
            case F32 -> DType.F32;
            case F64 -> DType.F64;
            default -> null;
        };
    }

    static TensorDType of(DType d) {
        return TensorDType.valueOf(d.name().toUpperCase(Locale.ROOT));
    }
}
