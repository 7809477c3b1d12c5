package dev.ember.core;

import dev.ember.core.spi.Span;

/** Matrix products on tensors; transposed views reach GEMM as transpose flags, not copies. */
public final class LinearAlgebra {
    private LinearAlgebra() {
    }

    /** {@code a @ b} for 2-D {@code a [m, k]} and {@code b [k, n]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        Checks.sameBackendAndDtype("matmul", a, b);
        Checks.rank("matmul", "left operand", a, 2);
        Checks.rank("matmul", "right operand", b, 2);
        if (a.dim(1) != b.dim(0)) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + " x " + b.shape());
        }
        Tensor c = Tensor.zeros(a.backend(), a.dtype(), a.dim(0), b.dim(1));
        gemmInto(1.0, a, b, 0.0, c);
        return c;
    }

    /**
     * {@code c = alpha * a @ b + beta * c} into an existing contiguous {@code c}. Either operand may
     * be a transposed view.
     */
    public static void gemmInto(double alpha, Tensor a, Tensor b, double beta, Tensor c) {
        Checks.sameBackendAndDtype("gemm", a, b);
        Checks.sameBackendAndDtype("gemm", a, c);
        int m = a.dim(0);
        int k = a.dim(1);
        int n = b.dim(1);
        if (b.dim(0) != k || c.dim(0) != m || c.dim(1) != n) {
            throw new IllegalArgumentException("gemm: shapes do not chain: " + a.shape() + " x " + b.shape()
                    + " into " + c.shape());
        }
        if (!c.isContiguous()) {
            throw new IllegalArgumentException("gemm: output " + c.shape() + " must be contiguous");
        }
        Tensor ca = gemmReady(a);
        Tensor cb = gemmReady(b);
        try {
            boolean ta = ca.strides()[1] != 1;
            boolean tb = cb.strides()[1] != 1;
            int lda = ta ? ca.strides()[1] : ca.strides()[0];
            int ldb = tb ? cb.strides()[1] : cb.strides()[0];
            Span sa = ca.span();
            Span sb = cb.span();
            a.backend().gemm(ta, tb, m, n, k, alpha, sa, Math.max(lda, 1), sb, Math.max(ldb, 1), beta, c.span(), n);
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
        int[] s = t.strides();
        boolean rowMajor = s[1] == 1 && s[0] >= t.dim(1);
        boolean colMajor = s[0] == 1 && s[1] >= t.dim(0);
        if ((rowMajor || colMajor) && !(t.dim(0) > 1 && t.dim(1) > 1 && s[0] == 0)) {
            return t;
        }
        return t.copy();
    }
}
