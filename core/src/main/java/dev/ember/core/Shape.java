package dev.ember.core;

import java.util.Arrays;

/**
 * An immutable tensor shape. Every dimension is at least 1 and the element count fits in an
 * {@code int} (the SPI addresses buffers with {@code int} offsets). A rank-0 shape is a scalar.
 *
 * <p><b>Threads.</b> Immutable: shared.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;
    private final int[] strides;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        this.size = (int) n;
        this.strides = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= dims[i];
        }
    }

    /** A shape with the given dimensions; fails on a dimension below 1 or more than 2^31-1 elements. */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            return SCALAR;
        }
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1) {
                throw new IllegalArgumentException("shape: dimension " + i + " must be at least 1, got "
                        + dims[i] + " in " + Arrays.toString(dims));
            }
            n *= dims[i];
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(dims)
                        + " has more than 2^31-1 elements");
            }
        }
        return new Shape(dims.clone());
    }

    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end as in numpy. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis, "dim")];
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of elements. */
    public int size() {
        return size;
    }

    /** Row-major (C order) strides in elements. */
    public int[] contiguousStrides() {
        return strides.clone();
    }

    /** This shape's row-major strides without a copy: for tensors, which never hand the array out. */
    int[] sharedContiguousStrides() {
        return strides;
    }

    /** Whether {@code candidate} are this shape's row-major strides (no copy made). */
    boolean isContiguous(int[] candidate) {
        return candidate == strides || sameInts(strides, candidate);
    }

    /** A plain loop: shapes have a handful of dimensions, too few for Arrays.equals' vectorised stub to pay. */
    private static boolean sameInts(int[] a, int[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    /** Turns a possibly negative axis into an index, failing with the operation's name when out of range. */
    public int normalizeAxis(int axis, String operation) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException(operation + ": axis " + axis + " is out of range for shape " + this);
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Shape s && sameInts(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
