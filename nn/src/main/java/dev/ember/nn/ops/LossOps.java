package dev.ember.nn.ops;

import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import dev.ember.nn.autodiff.Recorder;

/**
 * Losses as single recorded operations with closed-form gradients: stable, and a few kernels
 * instead of a chain of recorded element-wise ops. Each returns a scalar (the mean over examples).
 */
final class LossOps {
    private LossOps() {
    }

    /**
     * Mean over all elements of {@code max(z,0) - z*y + log(1 + exp(-|z|))}, which equals
     * {@code -(y log sigmoid(z) + (1-y) log(1 - sigmoid(z)))} without overflow. Gradient {@code (sigmoid(z) - y)/N}.
     */
    static Tensor sigmoidCrossEntropy(Tensor z, Tensor y) {
        sameShape("sigmoidCrossEntropy", z, y);
        double invN = 1.0 / z.size();
        if (z.isContiguous() && y.isContiguous()) {
            return sigmoidCrossEntropyDense(z, y, invN);
        }
        Tensor loss;
        try (Tensor pos = z.relu(); Tensor zy = z.mul(y); Tensor a = z.abs(); Tensor na = a.neg();
             Tensor e = na.exp(); Tensor onePlus = e.add(1.0); Tensor softplus = onePlus.log();
             Tensor t = pos.sub(zy); Tensor l = t.add(softplus)) {
            loss = l.mean();
        }
        return Recorder.record("sigmoidCrossEntropy", loss, new Tensor[] {z, y}, (g, needed) -> {
            Tensor dz = null;
            Tensor dy = null;
            try (Tensor scale = g.mul(invN)) {
                if (needed[0]) {
                    try (Tensor s = z.sigmoid(); Tensor d = s.sub(y)) {
                        dz = d.mul(scale);
                    }
                }
                if (needed[1]) {
                    try (Tensor nz = z.neg()) {
                        dy = nz.mul(scale);
                    }
                }
            }
            return new Tensor[] {dz, dy};
        });
    }

    /**
     * The same loss on dense operands with two temporaries, the kernels writing in place (a handful of
     * tiny tensors per step is what a small network's step costs otherwise).
     */
    private static Tensor sigmoidCrossEntropyDense(Tensor z, Tensor y, double invN) {
        Backend be = z.backend();
        int n = z.size();
        int rows = z.rank() == 2 ? z.dim(0) : 1;
        int cols = n / rows;
        Tensor loss;
        try (Tensor sp = Tensor.zeros(be, z.dtype(), z.shape()); Tensor l = Tensor.zeros(be, z.dtype(), z.shape())) {
            Span a = sp.span();
            Span b = l.span();
            be.unary(UnaryOp.ABS, 0, z.span(), a, n);             // log(1 + exp(-|z|))
            be.unary(UnaryOp.NEG, 0, a, a, n);
            be.unary(UnaryOp.EXP, 0, a, a, n);
            be.unary(UnaryOp.ADD_SCALAR, 1, a, a, n);
            be.unary(UnaryOp.LOG, 0, a, a, n);
            be.activation(Activation.RELU, 0, z.span(), b, n);  // + max(z, 0)
            be.binary(BinaryOp.ADD, rows, cols, Operand.dense(b, cols), Operand.dense(a, cols), b);
            be.binary(BinaryOp.MUL, rows, cols, Operand.dense(z.span(), cols), Operand.dense(y.span(), cols), a);
            be.binary(BinaryOp.SUB, rows, cols, Operand.dense(b, cols), Operand.dense(a, cols), b);   // - z y
            loss = l.mean();
        }
        return Recorder.record("sigmoidCrossEntropy", loss, new Tensor[] {z, y}, (g, needed) -> {
            Tensor dz = null;
            Tensor dy = null;
            if (needed[0]) {   // (sigmoid(z) - y) * g / N
                dz = Tensor.zeros(be, z.dtype(), z.shape());
                Span d = dz.span();
                be.activation(Activation.SIGMOID, 0, z.span(), d, n);
                be.binary(BinaryOp.SUB, rows, cols, Operand.dense(d, cols), Operand.dense(y.span(), cols), d);
                be.binary(BinaryOp.MUL, rows, cols, Operand.dense(d, cols), Operand.scalar(g.span()), d);
                be.unary(UnaryOp.MUL_SCALAR, invN, d, d, n);
            }
            if (needed[1]) {   // -z * g / N
                dy = Tensor.zeros(be, z.dtype(), z.shape());
                Span d = dy.span();
                be.binary(BinaryOp.MUL, rows, cols, Operand.dense(z.span(), cols), Operand.scalar(g.span()), d);
                be.unary(UnaryOp.MUL_SCALAR, -invN, d, d, n);
            }
            return new Tensor[] {dz, dy};
        });
    }

    /**
     * {@code -sum(y * logSoftmax(z)) / rows} for logits and one-hot (or soft) labels of shape
     * {@code [rows, classes]}. Gradient {@code (softmax(z) - y)/rows}.
     */
    static Tensor softmaxCrossEntropy(Tensor z, Tensor y) {
        sameShape("softmaxCrossEntropy", z, y);
        if (z.rank() != 2) {
            throw new IllegalArgumentException("softmaxCrossEntropy: logits must be [batch, classes], got " + z.shape());
        }
        double invRows = 1.0 / z.dim(0);
        Tensor ls = z.logSoftmax();
        Tensor loss;
        try (Tensor p = y.mul(ls); Tensor s = p.sum()) {
            loss = s.mul(-invRows);
        }
        return Recorder.record("softmaxCrossEntropy", loss, new Tensor[] {z, y}, (g, needed) -> {
            Tensor dz = null;
            Tensor dy = null;
            if (needed[0] && y.isContiguous()) {   // (exp(ls) - y) * g / rows, in place on one tensor
                Backend be = z.backend();
                int rows = z.dim(0);
                int cols = z.dim(1);
                int n = z.size();
                dz = Tensor.zeros(be, z.dtype(), z.shape());
                Span d = dz.span();
                be.unary(UnaryOp.EXP, 0, ls.span(), d, n);
                be.binary(BinaryOp.SUB, rows, cols, Operand.dense(d, cols), Operand.dense(y.span(), cols), d);
                be.binary(BinaryOp.MUL, rows, cols, Operand.dense(d, cols), Operand.scalar(g.span()), d);
                be.unary(UnaryOp.MUL_SCALAR, invRows, d, d, n);
            }
            try (Tensor scale = g.mul(invRows)) {
                if (needed[0] && dz == null) {
                    try (Tensor sm = ls.exp(); Tensor d = sm.sub(y)) {
                        dz = d.mul(scale);
                    }
                }
                if (needed[1]) {
                    try (Tensor n = ls.neg()) {
                        dy = n.mul(scale);
                    }
                }
            }
            return new Tensor[] {dz, dy};
        }, ls);
    }

    /** Mean over all elements of {@code (p - y)^2}. */
    static Tensor meanSquaredError(Tensor p, Tensor y) {
        sameShape("meanSquaredError", p, y);
        double twoOverN = 2.0 / p.size();
        Tensor diff = p.sub(y);
        Tensor loss;
        try (Tensor sq = diff.square()) {
            loss = sq.mean();
        }
        return Recorder.record("meanSquaredError", loss, new Tensor[] {p, y}, (g, needed) -> {
            Tensor dp;
            try (Tensor scale = g.mul(twoOverN)) {
                dp = diff.mul(scale);
            }
            Tensor dy = null;
            if (needed[1]) {
                dy = dp.neg();
            }
            if (!needed[0]) {
                dp.close();
                dp = null;
            }
            return new Tensor[] {dp, dy};
        }, diff);
    }

    private static void sameShape(String op, Tensor z, Tensor y) {
        if (!z.shape().equals(y.shape())) {
            throw new IllegalArgumentException(op + ": predictions have shape " + z.shape() + " but labels have "
                    + y.shape());
        }
    }
}
