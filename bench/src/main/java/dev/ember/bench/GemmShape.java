package dev.ember.bench;

/**
 * A GEMM problem {@code C[m,n] = op(A)[m,k] op(B)[k,n]}, written {@code MxNxK} with an optional
 * {@code :TN}-style suffix for the transposes (as backprop uses them: {@code dW = X^T dY} is
 * {@code :TN}, {@code dX = dY W^T} is {@code :NT}).
 */
public record GemmShape(int m, int n, int k, boolean transA, boolean transB) {
    public static GemmShape parse(String text) {
        String[] parts = text.trim().split(":");
        String[] dims = parts[0].split("x");
        if (dims.length == 1) {
            int s = Integer.parseInt(dims[0]);
            return new GemmShape(s, s, s, false, false);
        }
        if (dims.length != 3) {
            throw new IllegalArgumentException("gemm shape: expected N or MxNxK[:NN|NT|TN|TT], got '" + text + "'");
        }
        String t = parts.length > 1 ? parts[1].toUpperCase(java.util.Locale.ROOT) : "NN";
        if (!t.matches("[NT]{2}")) {
            throw new IllegalArgumentException("gemm shape: transposes must be NN, NT, TN or TT, got '" + t + "'");
        }
        return new GemmShape(Integer.parseInt(dims[0]), Integer.parseInt(dims[1]), Integer.parseInt(dims[2]),
                t.charAt(0) == 'T', t.charAt(1) == 'T');
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
