package dev.ember.nn.checkpoint;

import java.util.Arrays;

/**
 * One tensor of a safetensors header: its name, dtype, shape and where its bytes lie, as offsets
 * into the data section (which starts right after the header).
 */
public record TensorEntry(String name, TensorDType dtype, long[] shape, long begin, long end) {
    public TensorEntry {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements (validated against the offsets, so it fits the file). */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public long bytes() {
        return end - begin;
    }

    /** The shape as {@code [2, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && begin == t.begin && end == t.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeText() + " [" + begin + ", " + end + ")";
    }
}
