package dev.ember.nn.ops;

import dev.ember.core.Elementwise;
import dev.ember.core.Tensor;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.UnaryOp;
import dev.ember.nn.autodiff.Recorder;

/**
 * Losses as single recorded operations with closed-form gradients: stable, and a few kernels writing
 * in place on one or two temporaries instead of a chain of recorded element-wise ops (a handful of
 * tiny tensors per step is what a small network's step costs otherwise). Each returns a scalar (the
 * mean over examples).
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
        Tensor loss;
        try (Tensor sp = z.abs(); Tensor l = z.relu()) {
            Elementwise.unaryInto(UnaryOp.NEG, 0, sp, sp);           // log(1 + exp(-|z|))
            Elementwise.unaryInto(UnaryOp.EXP, 0, sp, sp);
            Elementwise.unaryInto(UnaryOp.ADD_SCALAR, 1, sp, sp);
            Elementwise.unaryInto(UnaryOp.LOG, 0, sp, sp);
            Elementwise.binaryInto(BinaryOp.ADD, l, sp, l);         // + max(z, 0)
            Elementwise.binaryInto(BinaryOp.MUL, z, y, sp);
            Elementwise.binaryInto(BinaryOp.SUB, l, sp, l);         // - z y
            loss = l.mean();
        }
        return Recorder.record("sigmoidCrossEntropy", loss, new Tensor[] {z, y}, (g, needed) -> {
            Tensor dz = null;
            Tensor dy = null;
            if (needed[0]) {   // (sigmoid(z) - y) * g / N
                dz = z.sigmoid();
                Elementwise.binaryInto(BinaryOp.SUB, dz, y, dz);
                scaleInPlace(dz, g, invN);
            }
            if (needed[1]) {   // -z * g / N
                dy = z.mul(g);
                Elementwise.unaryInto(UnaryOp.MUL_SCALAR, -invN, dy, dy);
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
            if (needed[0]) {   // (exp(ls) - y) * g / rows
                dz = ls.exp();
                Elementwise.binaryInto(BinaryOp.SUB, dz, y, dz);
                scaleInPlace(dz, g, invRows);
            }
            if (needed[1]) {   // -ls * g / rows
                dy = ls.mul(g);
                Elementwise.unaryInto(UnaryOp.MUL_SCALAR, -invRows, dy, dy);
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
            Tensor dp = diff.mul(g);   // 2 (p - y) g / N
            Elementwise.unaryInto(UnaryOp.MUL_SCALAR, twoOverN, dp, dp);
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

    /** {@code d *= g * scale} in place, for the scalar upstream gradient {@code g}. */
    private static void scaleInPlace(Tensor d, Tensor g, double scale) {
        Elementwise.binaryInto(BinaryOp.MUL, d, g, d);
        Elementwise.unaryInto(UnaryOp.MUL_SCALAR, scale, d, d);
    }

    private static void sameShape(String op, Tensor z, Tensor y) {
        if (!z.shape().equals(y.shape())) {
            throw new IllegalArgumentException(op + ": predictions have shape " + z.shape() + " but labels have "
                    + y.shape());
        }
    }
}
