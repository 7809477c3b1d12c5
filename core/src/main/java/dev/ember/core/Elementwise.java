package dev.ember.core;

import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;

/**
 * Element-wise operations with numpy broadcasting for operands of rank up to 2. The {@link Tensor}
 * methods ({@code add}, {@code exp}, ...) allocate their result; the {@code ...Into} forms here write
 * into an existing tensor, for training steps that update a buffer in place instead of allocating.
 */
public final class Elementwise {
    private Elementwise() {
    }

    static Tensor unary(String operation, UnaryOp op, double param, Tensor x) {
        x.checkOpen(operation);
        Checks.finite(operation, "scalar", param);
        if (x.isContiguous()) {   // out of place: one pass over x
            Tensor out = Tensor.zeros(x.backend(), x.dtype(), x.shape());
            x.ops().unary(op, param, x.span(), out.span(), out.size());
            return out;
        }
        Tensor out = x.copy();
        x.ops().unary(op, param, out.span(), out.span(), out.size());
        return out;
    }

    /**
     * {@code out = op(x; param)} element by element (see {@link UnaryOp} for the meaning of {@code param})
     * into {@code out}, contiguous and of x's shape; {@code out} may be {@code x} itself (in place).
     */
    public static void unaryInto(UnaryOp op, double param, Tensor x, Tensor out) {
        String operation = "unaryInto";
        Checks.sameBackendAndDtype(operation, x, out);
        Checks.finite(operation, "scalar", param);
        Checks.sameShape(operation, "out", x, out);
        Checks.writableOutput(operation, out, x);
        if (x.isContiguous()) {
            x.ops().unary(op, param, x.span(), out.span(), out.size());
        } else {
            out.assign(x);
            x.ops().unary(op, param, out.span(), out.span(), out.size());
        }
    }

    /**
     * {@code out = op(a, b)} with numpy broadcasting (rank {@code <=} 2) into {@code out}, contiguous and of the
     * broadcast shape; {@code out} may be {@code a} or {@code b} itself (in place, e.g.
     * {@code binaryInto(ADD, acc, x, acc)} for {@code acc += x}), but no other view of their memory.
     */
    public static void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String operation = "binaryInto";
        Checks.sameBackendAndDtype(operation, a, b);
        Checks.sameBackendAndDtype(operation, a, out);
        Checks.writableOutput(operation, out, a);
        Checks.writableOutput(operation, out, b);
        Shape sa = a.shape();
        Shape sb = b.shape();
        if (sa.equals(sb) && a.isContiguous() && b.isContiguous()) {
            Checks.sameShape(operation, "out", a, out);
            int n = a.size();
            a.ops().binary(op, 1, n, Operand.dense(a.span(), n), Operand.dense(b.span(), n), out.span());
            return;
        }
        if (sa.rank() > 2 || sb.rank() > 2) {
            throw new IllegalArgumentException(operation + ": broadcasting supports rank <= 2 (or equal contiguous"
                    + " shapes), got " + sa + " and " + sb);
        }
        // out has the broadcast shape: checked without building a Shape on this per-step path
        int rows = stretch(operation, rows(sa), rows(sb), sa, sb);
        int cols = stretch(operation, cols(sa), cols(sb), sa, sb);
        Shape so = out.shape();
        if (so.rank() != Math.max(sa.rank(), sb.rank()) || rows(so) != rows || cols(so) != cols) {
            throw new IllegalArgumentException(operation + ": out has shape " + so + " but " + sa + " and " + sb
                    + " broadcast to " + broadcast(operation, sa, sb));
        }
        a.ops().binary(op, rows, cols, operand(a), operand(b), out.span());
    }

    static Tensor binary(String operation, BinaryOp op, Tensor a, Tensor b) {
        Checks.sameBackendAndDtype(operation, a, b);
        if (a.shape().equals(b.shape()) && a.isContiguous() && b.isContiguous()) {
            Tensor out = Tensor.zeros(a.backend(), a.dtype(), a.shape());
            int n = a.size();
            a.ops().binary(op, 1, n, Operand.dense(a.span(), n), Operand.dense(b.span(), n), out.span());
            return out;
        }
        Shape shape = broadcast(operation, a.shape(), b.shape());
        if (shape.rank() > 2) {
            throw new IllegalArgumentException(operation + ": broadcasting supports rank <= 2 (or equal contiguous"
                    + " shapes), got " + a.shape() + " and " + b.shape());
        }
        Tensor out = Tensor.zeros(a.backend(), a.dtype(), shape);
        a.ops().binary(op, rows(shape), cols(shape), operand(a), operand(b), out.span());
        return out;
    }

    /**
     * Evaluates {@code e} into contiguous {@code outputs} of one shape, to which the inputs broadcast
     * (numpy's rule, as for {@code out=}); an output may be one of the inputs (in place).
     */
    static void expressionInto(String operation, Expression e, Tensor[] outputs, Tensor[] inputs) {
        checkInputCount(operation, e, inputs.length);
        if (outputs.length != e.outputs()) {
            throw new IllegalArgumentException(operation + ": the expression has " + e.outputs() + " outputs, got "
                    + outputs.length + " output tensors");
        }
        Shape shape = outputs[0].shape();
        for (Tensor out : outputs) {
            Checks.sameBackendAndDtype(operation, outputs[0], out);
            if (!out.shape().equals(shape) || !out.isContiguous()) {
                throw new IllegalArgumentException(operation + ": outputs must be contiguous and of one shape, got "
                        + out.shape() + (out.isContiguous() ? "" : " (a view)") + " beside " + shape);
            }
        }
        for (int k = 1; k < outputs.length; k++) {
            for (int m = 0; m < k; m++) {
                if (outputs[k].sharesBuffer(outputs[m])) {
                    throw new IllegalArgumentException(operation + ": outputs " + m + " and " + k
                            + " share a buffer");
                }
            }
        }
        boolean flat = true;   // every input dense and of the output's shape: the grid is one long row
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            Checks.sameBackendAndDtype(operation, outputs[0], t);
            if (!broadcast(operation, t.shape(), shape).equals(shape)) {
                throw new IllegalArgumentException(operation + ": input " + k + " " + t.shape()
                        + " does not broadcast to the output shape " + shape);
            }
            if (shape.rank() > 2 && !t.isContiguous()) {
                throw new IllegalArgumentException(operation + ": input " + k + " of rank > 2 must be contiguous, got"
                        + " a view " + t.shape());
            }
            for (Tensor out : outputs) {
                Checks.writableOutput(operation, out, t);
            }
            flat &= t.shape().equals(shape) && t.isContiguous();
        }
        Operand[] in = new Operand[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            in[k] = flat ? Operand.dense(inputs[k].span(), shape.size()) : operand(inputs[k]);
        }
        Span[] out = new Span[outputs.length];
        for (int k = 0; k < outputs.length; k++) {
            out[k] = outputs[k].span();
        }
        outputs[0].ops().evaluate(e, flat ? 1 : rows(shape), flat ? shape.size() : cols(shape), in, out);
    }

    static void checkInputCount(String operation, Expression e, int inputs) {
        if (inputs != e.inputs()) {
            throw new IllegalArgumentException(operation + ": the expression takes " + e.inputs() + " inputs, got "
                    + inputs);
        }
    }

    /** numpy's broadcast of two shapes: equal shapes of any rank, else rank <= 2 with size-1 axes stretched. */
    static Shape broadcast(String operation, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        if (a.rank() > 2 || b.rank() > 2) {
            throw new IllegalArgumentException(operation + ": broadcasting supports rank <= 2 (or equal shapes), got "
                    + a + " and " + b);
        }
        int rows = stretch(operation, rows(a), rows(b), a, b);
        int cols = stretch(operation, cols(a), cols(b), a, b);
        int rank = Math.max(a.rank(), b.rank());
        return rank == 2 ? Shape.of(rows, cols) : rank == 1 ? Shape.of(cols) : Shape.scalar();
    }

    private static int rows(Shape s) {
        return s.rank() == 2 ? s.dim(0) : 1;
    }

    private static int cols(Shape s) {
        return s.rank() == 0 ? 1 : s.dim(s.rank() - 1);
    }

    private static int stretch(String operation, int x, int y, Shape a, Shape b) {
        if (x == y || y == 1) {
            return x;
        }
        if (x == 1) {
            return y;
        }
        throw new IllegalArgumentException(operation + ": shapes cannot be broadcast together: " + a + " and " + b);
    }

    /** Strides of a rank <= 2 view as a 2-D operand; a broadcast (size-1) axis gets stride 0. */
    private static Operand operand(Tensor t) {
        int r = t.rank();
        int rowStride = r == 2 && t.dim(0) > 1 ? t.stride(0) : 0;
        int colStride = r >= 1 && t.dim(r - 1) > 1 ? t.stride(r - 1) : 0;
        return new Operand(t.span(), rowStride, colStride);
    }
}
