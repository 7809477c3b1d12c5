package dev.ember.gpu;

import dev.ember.core.spi.Span;

/**
 * Bounds checks done once per call on the host: a kernel reading past a device buffer would corrupt
 * memory or crash the driver instead of throwing, so every span's reach is checked first.
 */
public final class Extents {
    private Extents() {
    }

    /** Requires {@code extent} elements from the span's offset to lie inside its buffer. */
    public static void check(String operation, String what, Span s, long extent) {
        if (extent <= 0) {
            return;
        }
        long end = s.offset() + extent;
        if (end > s.buffer().length()) {
            throw new IllegalArgumentException(operation + ": " + what + " needs elements [" + s.offset() + ", "
                    + end + ") but its buffer holds " + s.buffer().length());
        }
    }

    /** Checks a strided view: element {@code (i0..ir)} at {@code offset + sum(ik * strides[k])}. */
    public static void checkStrided(String operation, String what, Span s, int[] shape, int[] strides) {
        long min = 0;
        long max = 0;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 0) {
                return; // an empty view reads nothing
            }
            long reach = (long) (shape[k] - 1) * strides[k];
            if (reach < 0) {
                min += reach;
            } else {
                max += reach;
            }
        }
        if (s.offset() + min < 0) {
            throw new IllegalArgumentException(operation + ": " + what + " reaches element " + (s.offset() + min)
                    + " before the start of its buffer");
        }
        check(operation, what, s, max + 1);
    }

    /** Extent of a {@code rows x cols} matrix with row stride {@code ld} (or of its transpose). */
    public static long matrix(int rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : (long) (rows - 1) * ld + cols;
    }
}
