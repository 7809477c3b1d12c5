package dev.ember.cuda;

/**
 * The column-major cuBLAS GEMM that computes a row-major one. A row-major matrix read as column-major
 * is its transpose, so {@code C = op(A) op(B)} (row-major) is {@code C^T = op(B)^T op(A)^T}
 * (column-major): the operands swap, {@code m} and {@code n} swap, and each keeps its own transpose
 * flag and leading dimension. No copy, no transposing kernel.
 *
 * @param transa whether cuBLAS transposes its first operand ({@code CUBLAS_OP_T}), the row-major B
 * @param transb whether cuBLAS transposes its second operand, the row-major A
 * @param m      cuBLAS's rows of C: the row-major n
 * @param n      cuBLAS's columns of C: the row-major m
 * @param k      the shared dimension, unchanged
 * @param a      cuBLAS's first operand: the row-major B's device address
 * @param lda    its leading dimension: the row-major ldb
 * @param b      cuBLAS's second operand: the row-major A's device address
 * @param ldb    its leading dimension: the row-major lda
 * @param c      C's device address, unchanged
 * @param ldc    C's leading dimension, unchanged
 */
public record ColumnMajorCall(boolean transa, boolean transb, int m, int n, int k, long a, int lda, long b, int ldb,
                              long c, int ldc) {
    /** {@code cublasOperation_t} values (cublas_api.h). */
    static final int CUBLAS_OP_N = 0;
    static final int CUBLAS_OP_T = 1;

    /**
     * Checks a row-major {@code C[m x n] = op(A)[m x k] op(B)[k x n]} and maps it to cuBLAS's terms.
     * Row-major leading dimensions count elements between rows: A is stored {@code k} wide ({@code m}
     * when transposed), B {@code n} wide ({@code k} when transposed), C {@code n} wide.
     *
     * @throws IllegalArgumentException naming the argument and its value when a size is negative, a
     *                                  leading dimension is shorter than its rows, or a matrix that
     *                                  holds elements has address 0
     */
    public static ColumnMajorCall of(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long b,
                                     int ldb, long c, int ldc) {
        requireSize("m", m);
        requireSize("n", n);
        requireSize("k", k);
        requireLeading("lda", lda, transA ? m : k, transA ? "m (A is transposed)" : "k");
        requireLeading("ldb", ldb, transB ? k : n, transB ? "k (B is transposed)" : "n");
        requireLeading("ldc", ldc, n, "n");
        requireAddress("A", a, (long) m * k);
        requireAddress("B", b, (long) k * n);
        requireAddress("C", c, (long) m * n);
        return new ColumnMajorCall(transB, transA, n, m, k, b, ldb, a, lda, c, ldc);
    }

    /** {@link #transa} as a {@code cublasOperation_t}. */
    public int transaCode() {
        return transa ? CUBLAS_OP_T : CUBLAS_OP_N;
    }

    /** {@link #transb} as a {@code cublasOperation_t}. */
    public int transbCode() {
        return transb ? CUBLAS_OP_T : CUBLAS_OP_N;
    }

    private static void requireSize(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("cublas gemm: " + name + " must be >= 0, got " + value);
        }
    }

    private static void requireLeading(String name, int value, int rowLength, String rowLengthName) {
        if (value < Math.max(1, rowLength)) {
            throw new IllegalArgumentException("cublas gemm: " + name + " must be >= max(1, " + rowLengthName + ") = "
                    + Math.max(1, rowLength) + " for row-major storage, got " + value);
        }
    }

    private static void requireAddress(String matrix, long address, long elements) {
        if (address == 0 && elements > 0) {
            throw new IllegalArgumentException("cublas gemm: the device address of " + matrix + " is 0 for "
                    + elements + " elements");
        }
    }
}
