package dev.ember.core;

/** Element types. {@code F32} is the working type; {@code F64} serves gradient checks and references. */
public enum DType {
    F32(4),
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }
}
