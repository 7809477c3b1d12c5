package dev.ember.nn.ops;

import dev.ember.core.Activations;
import dev.ember.core.Elementwise;
import dev.ember.core.LinearAlgebra;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.BinaryOp;
import dev.ember.nn.autodiff.Recorder;

/** Matrix product and the fused affine map of a dense layer, with or without its activation. */
final class LinearOps {
    private LinearOps() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        Tensor out = a.matmul(b);
        return Recorder.record("matmul", out, new Tensor[] {a, b}, (g, needed) -> new Tensor[] {
                needed[0] ? matmulT(g, b, false, true) : null,
                needed[1] ? matmulT(a, g, true, false) : null});
    }

    /** {@code x @ w + b}: the GEMM, then the bias added in place (one pass over the output). */
    static Tensor dense(Tensor x, Tensor w, Tensor b) {
        checkDense(x, w, b);
        Tensor out = Tensor.zeros(x.backend(), x.dtype(), x.dim(0), w.dim(1));
        try {
            LinearAlgebra.gemmInto(1.0, x, w, 0.0, out);
            if (b != null) {
                Elementwise.binaryInto(BinaryOp.ADD, out, b, out);
            }
        } catch (RuntimeException e) {
            out.close();   // mismatched dtypes or backends: nothing owns the output yet
            throw e;
        }
        Tensor[] inputs = b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        return Recorder.record("dense", out, inputs, (g, needed) -> denseGradients(x, w, inputs.length, g, needed));
    }

    /**
     * {@code act(x @ w + b)}: the GEMM, then the bias and the activation in one fused pass over its
     * output, in place. The backward pass differentiates the activation through that output (the
     * pre-activation is never kept), then runs the dense layer's three products.
     */
    static Tensor dense(Tensor x, Tensor w, Tensor b, Activation act, double alpha) {
        checkDense(x, w, b);
        if (b == null) {
            throw new IllegalArgumentException("dense: a fused activation needs a bias (use dense(x, w, null) and the"
                    + " activation op instead)");
        }
        if (act == Activation.LEAKY_RELU && !(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("dense: leakyRelu slope must be in [0, 1), got " + alpha);
        }
        Tensor out = Tensor.zeros(x.backend(), x.dtype(), x.dim(0), w.dim(1));
        try {
            LinearAlgebra.gemmInto(1.0, x, w, 0.0, out);
            Activations.biasActivationInto(act, alpha, out, b, out);
        } catch (RuntimeException e) {
            out.close();   // a mismatched bias or weights: nothing owns the output yet
            throw e;
        }
        Tensor[] inputs = {x, w, b};
        String name = "dense_" + act.name().toLowerCase(java.util.Locale.ROOT);
        return Recorder.record(name, out, inputs, (g, needed) -> {
            try (Tensor dz = Activations.backward(act, alpha, out, out, g)) {
                return denseGradients(x, w, 3, dz, needed);
            }
        });
    }

    private static void checkDense(Tensor x, Tensor w, Tensor b) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(0)) {
            throw new IllegalArgumentException("dense: input " + x.shape() + " does not match weights " + w.shape()
                    + " (expected [batch, " + (w.rank() == 2 ? w.dim(0) : "?") + "])");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(1))) {
            throw new IllegalArgumentException("dense: bias " + b.shape() + " does not match weights " + w.shape()
                    + " (expected [" + w.dim(1) + "])");
        }
    }

    /** The gradients of {@code x @ w (+ b)} for upstream gradient {@code g}: {@code arity} is 3 with a bias. */
    private static Tensor[] denseGradients(Tensor x, Tensor w, int arity, Tensor g, boolean[] needed) {
        Tensor[] r = new Tensor[arity];
        if (needed[0]) {
            r[0] = matmulT(g, w, false, true);
        }
        if (needed[1]) {
            r[1] = matmulT(x, g, true, false);
        }
        if (arity == 3 && needed[2]) {
            r[2] = g.sum(0);
        }
        return r;
    }

    /** {@code op(a) @ op(b)} through GEMM's transpose flags (no copies, no view tensors). */
    static Tensor matmulT(Tensor a, Tensor b, boolean ta, boolean tb) {
        return LinearAlgebra.matmul(ta, tb, a, b);
    }
}
