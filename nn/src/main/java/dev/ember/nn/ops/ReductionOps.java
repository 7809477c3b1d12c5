package dev.ember.nn.ops;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;

/** Sums and means along an axis or over everything; the gradient is the upstream gradient broadcast back. */
final class ReductionOps {
    private ReductionOps() {
    }

    static Tensor sum(Tensor x) {
        Tensor out = x.sum();
        Shape in = x.shape();
        return Recorder.record("sum", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {Broadcasting.expand(g, in)});
    }

    static Tensor mean(Tensor x) {
        Tensor out = x.mean();
        Shape in = x.shape();
        double inv = 1.0 / in.size();
        return Recorder.record("mean", out, new Tensor[] {x}, (g, needed) -> {
            try (Tensor s = g.mul(inv)) {
                return new Tensor[] {Broadcasting.expand(s, in)};
            }
        });
    }

    static Tensor sum(Tensor x, int axis, boolean keepDims) {
        int a = x.shape().normalizeAxis(axis, "sum");
        Tensor out = x.sum(a, keepDims);
        Shape in = x.shape();
        return Recorder.record("sum", out, new Tensor[] {x},
                (g, needed) -> new Tensor[] {Broadcasting.expandReduced(g, in, a, keepDims)});
    }

    static Tensor mean(Tensor x, int axis, boolean keepDims) {
        int a = x.shape().normalizeAxis(axis, "mean");
        Tensor out = x.mean(a, keepDims);
        Shape in = x.shape();
        double inv = 1.0 / in.dim(a);
        return Recorder.record("mean", out, new Tensor[] {x}, (g, needed) -> {
            try (Tensor s = g.mul(inv)) {
                return new Tensor[] {Broadcasting.expandReduced(s, in, a, keepDims)};
            }
        });
    }

    /** {@code sum(x^2)}: the squared Frobenius norm that L2 regularisation adds. */
    static Tensor sumOfSquares(Tensor x) {
        Tensor out = x.sumOfSquares();
        return Recorder.record("sumOfSquares", out, new Tensor[] {x}, (g, needed) -> {
            try (Tensor twice = g.mul(2.0)) {
                return new Tensor[] {x.mul(twice)};
            }
        });
    }
}
