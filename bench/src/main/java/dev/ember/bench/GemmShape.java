package dev.ember.bench;

/**
 * A GEMM problem {@code C[m,n] = op(A)[m,k] op(B)[k,n]}, written {@code MxNxK} with an optional
 * {@code :TN}-style suffix for the transposes (as backprop uses them: {@code dW = X^T dY} is
 * {@code :TN}, {@code dX = dY W^T} is {@code :NT}).
 */
public record GemmShape(int m, int n, int k, boolean transA, boolean transB) {
    /** The most elements one backend buffer holds: an int length, and Java arrays stop a little below it. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Every dimension is at least 1, and each of A, B and C fits one buffer ({@link #MAX_ELEMENTS}). */
    public GemmShape {
        positive("m", m);
        positive("n", n);
        positive("k", k);
        fits("A", m, k, m, n, k);
        fits("B", k, n, m, n, k);
        fits("C", m, n, m, n, k);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("gemm shape: " + name + " must be >= 1, got " + value);
        }
    }

    private static void fits(String matrix, int rows, int cols, int m, int n, int k) {
        long elements = (long) rows * cols;
        if (elements > MAX_ELEMENTS) {
            throw new IllegalArgumentException("gemm shape " + m + "x" + n + "x" + k + ": " + matrix + " is " + rows
                    + " x " + cols + " = " + elements + " elements, more than one buffer holds (" + MAX_ELEMENTS
                    + ")");
        }
    }

    /** Bytes of A, B and C together at {@code bytesPerElement}. */
    public long bytes(int bytesPerElement) {
        return ((long) m * k + (long) k * n + (long) m * n) * bytesPerElement;
    }

    /** Parses {@code N} or {@code MxNxK[:NN|NT|TN|TT]}, checking the dimensions. */
    public static GemmShape parse(String text) {
        String[] parts = text.trim().split(":");
        String[] dims = parts[0].split("x");
        if (dims.length == 1) {
            int s = dimension(dims[0], text);
            return new GemmShape(s, s, s, false, false);
        }
        if (dims.length != 3) {
            throw new IllegalArgumentException("gemm shape: expected N or MxNxK[:NN|NT|TN|TT], got '" + text + "'");
        }
        String t = parts.length > 1 ? parts[1].toUpperCase(java.util.Locale.ROOT) : "NN";
        if (!t.matches("[NT]{2}")) {
            throw new IllegalArgumentException("gemm shape: transposes must be NN, NT, TN or TT, got '" + t + "'");
        }
        return new GemmShape(dimension(dims[0], text), dimension(dims[1], text), dimension(dims[2], text),
                t.charAt(0) == 'T', t.charAt(1) == 'T');
    }

    private static int dimension(String s, String text) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gemm shape: '" + s.trim() + "' in '" + text
                    + "' is not a whole number from 1 to " + Integer.MAX_VALUE);
        }
    }

    public double flops() {
        return 2.0 * m * n * k;
    }

    /** Leading dimension of A as stored (row-major {@code m x k}, or {@code k x m} when transposed). */
    public int lda() {
        return transA ? m : k;
    }

    public int ldb() {
        return transB ? k : n;
    }

    @Override
    public String toString() {
        return m + "x" + n + "x" + k + (transA || transB ? ":" + (transA ? "T" : "N") + (transB ? "T" : "N") : "");
    }
}
