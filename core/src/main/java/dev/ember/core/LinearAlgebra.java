package dev.ember.core;

/** Matrix products on tensors; transposed views reach GEMM as transpose flags, not copies. */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /** {@code a @ b} for 2-D {@code a [m, k]} and {@code b [k, n]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(false, false, a, b);
    }

    /**
     * {@code op(a) @ op(b)}, where {@code op(t)} is {@code t} transposed when its flag is set: GEMM's
     * transpose flags, without view objects or copies. Checked before the result is allocated.
     */
    public static Tensor matmul(boolean transA, boolean transB, Tensor a, Tensor b) {
        Checks.sameBackendAndDtype("matmul", a, b);
        Checks.rank("matmul", "left operand", a, 2);
        Checks.rank("matmul", "right operand", b, 2);
        int k = transA ? a.dim(0) : a.dim(1);
        if (k != (transB ? b.dim(1) : b.dim(0))) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + (transA ? "^T" : "")
                    + " x " + b.shape() + (transB ? "^T" : ""));
        }
        Tensor c = Tensor.zeros(a.backend(), a.dtype(), transA ? a.dim(1) : a.dim(0), transB ? b.dim(0) : b.dim(1));
        try {
            gemmInto(transA, transB, 1.0, a, b, 0.0, c);
        } catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * {@code c = alpha * a @ b + beta * c} into an existing contiguous {@code c}. Either operand may
     * be a transposed view.
     */
    public static void gemmInto(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        gemmInto(false, false, alpha, a, b, beta, c);
    }

    /**
     * {@code c = alpha * op(a) @ op(b) + beta * c} into an existing contiguous {@code c}, where
     * {@code op(t)} is {@code t} transposed when its flag is set (BLAS's transA/transB, without a view
     * object). Either operand may itself be a transposed view. With {@code beta == 0} the old contents
     * of {@code c} are ignored; {@code c} must not share memory with {@code a} or {@code b}.
     */
    public static void gemmInto(boolean transA, boolean transB, double alpha, Tensor a, Tensor b, double beta,
                                Tensor c) {
        Checks.sameBackendAndDtype("gemm", a, b);
        Checks.sameBackendAndDtype("gemm", a, c);
        Checks.rank("gemm", "a", a, 2);
        Checks.rank("gemm", "b", b, 2);
        Checks.rank("gemm", "c", c, 2);
        Checks.finite("gemm", "alpha", alpha);
        Checks.finite("gemm", "beta", beta);
        int m = transA ? a.dim(1) : a.dim(0);
        int k = transA ? a.dim(0) : a.dim(1);
        int n = transB ? b.dim(0) : b.dim(1);
        int kb = transB ? b.dim(1) : b.dim(0);
        if (kb != k || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("gemm: shapes do not chain: " + a.shape() + (transA ? "^T" : "")
                    + " x " + b.shape() + (transB ? "^T" : "") + " into " + c.shape());
        }
        if (!c.isContiguous()) {
            throw new IllegalArgumentException("gemm: output " + c.shape() + " must be contiguous");
        }
        if (c.sharesBuffer(a) || c.sharesBuffer(b)) {
            throw new IllegalArgumentException("gemm: output " + c.shape() + " shares memory with an operand");
        }
        Tensor ca = gemmReady(a);
        Tensor cb = gemmReady(b);
        try {
            // a column-major operand is its transpose stored row-major: flip its flag
            boolean va = ca.stride(1) != 1;
            boolean vb = cb.stride(1) != 1;
            int lda = va ? ca.stride(1) : ca.stride(0);
            int ldb = vb ? cb.stride(1) : cb.stride(0);
            a.ops().gemm(transA != va, transB != vb, m, n, k, alpha, ca.span(), Math.max(lda, 1), cb.span(),
                    Math.max(ldb, 1), beta, c.span(), n);
        } finally {
            if (ca != a) {
                ca.close();
            }
            if (cb != b) {
                cb.close();
            }
        }
    }

    /** The operand itself if GEMM can read it through a leading dimension, else a dense copy. */
    private static Tensor gemmReady(Tensor t) {
        int s0 = t.stride(0);
        int s1 = t.stride(1);
        boolean rowMajor = s1 == 1 && s0 >= t.dim(1);
        boolean colMajor = s0 == 1 && s1 >= t.dim(0);
        if ((rowMajor || colMajor) && !(t.dim(0) > 1 && t.dim(1) > 1 && s0 == 0)) {
            return t;
        }
        return t.copy();
    }
}
