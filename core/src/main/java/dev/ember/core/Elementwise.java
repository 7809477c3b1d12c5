package dev.ember.core;

import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Operand;
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
            x.backend().unary(op, param, x.span(), out.span(), out.size());
            return out;
        }
        Tensor out = x.copy();
        x.backend().unary(op, param, out.span(), out.span(), out.size());
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
            x.backend().unary(op, param, x.span(), out.span(), out.size());
        } else {
            out.assign(x);
            x.backend().unary(op, param, out.span(), out.span(), out.size());
        }
    }

    /**
     * {@code out = op(a, b)} with numpy broadcasting (rank <= 2) into {@code out}, contiguous and of the
     * broadcast shape; {@code out} may be {@code a} or {@code b} itself (in place, e.g.
     * {@code binaryInto(ADD, acc, x, acc)} for {@code acc += x}), but no other view of their memory.
     */
    public static void binaryInto(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        String operation = "binaryInto";
        Checks.sameBackendAndDtype(operation, a, b);
        Checks.sameBackendAndDtype(operation, a, out);
        Checks.writableOutput(operation, out, a);
        Checks.writableOutput(operation, out, b);
        if (a.shape().equals(b.shape()) && a.isContiguous() && b.isContiguous()) {
            Checks.sameShape(operation, "out", a, out);
            int n = a.size();
            a.backend().binary(op, 1, n, Operand.dense(a.span(), n), Operand.dense(b.span(), n), out.span());
            return;
        }
        checkRank(operation, a, b);
        int rows = broadcast(operation, rows(a), rows(b), a, b);
        int cols = broadcast(operation, cols(a), cols(b), a, b);
        // out has the broadcast shape: no Shape object built on this per-step path
        int rank = Math.max(a.rank(), b.rank());
        if (out.rank() != rank || rows(out) != rows || cols(out) != cols) {
            throw new IllegalArgumentException(operation + ": out has shape " + out.shape() + " but " + a.shape()
                    + " and " + b.shape() + " broadcast to " + broadcastShape(operation, a, b));
        }
        a.backend().binary(op, rows, cols, operand(a), operand(b), out.span());
    }

    static Tensor binary(String operation, BinaryOp op, Tensor a, Tensor b) {
        Checks.sameBackendAndDtype(operation, a, b);
        if (a.shape().equals(b.shape()) && a.isContiguous() && b.isContiguous()) {
            Tensor out = Tensor.zeros(a.backend(), a.dtype(), a.shape());
            int n = a.size();
            a.backend().binary(op, 1, n, Operand.dense(a.span(), n), Operand.dense(b.span(), n), out.span());
            return out;
        }
        Tensor out = Tensor.zeros(a.backend(), a.dtype(), broadcastShape(operation, a, b));
        a.backend().binary(op, rows(out), cols(out), operand(a), operand(b), out.span());
        return out;
    }

    private static void checkRank(String operation, Tensor a, Tensor b) {
        if (a.rank() > 2 || b.rank() > 2) {
            throw new IllegalArgumentException(operation + ": broadcasting supports rank <= 2 (or equal shapes), got "
                    + a.shape() + " and " + b.shape());
        }
    }

    private static Shape broadcastShape(String operation, Tensor a, Tensor b) {
        checkRank(operation, a, b);
        int rows = broadcast(operation, rows(a), rows(b), a, b);
        int cols = broadcast(operation, cols(a), cols(b), a, b);
        return a.rank() == 2 || b.rank() == 2 ? Shape.of(rows, cols)
                : a.rank() == 1 || b.rank() == 1 ? Shape.of(cols) : Shape.scalar();
    }

    private static int rows(Tensor t) {
        return t.rank() == 2 ? t.dim(0) : 1;
    }

    private static int cols(Tensor t) {
        return t.rank() == 0 ? 1 : t.dim(-1);
    }

    private static int broadcast(String operation, int x, int y, Tensor a, Tensor b) {
        if (x == y || y == 1) {
            return x;
        }
        if (x == 1) {
            return y;
        }
        throw new IllegalArgumentException(operation + ": shapes cannot be broadcast together: " + a.shape()
                + " and " + b.shape());
    }

    /** Strides of a rank <= 2 view as a 2-D operand; a broadcast (size-1) axis gets stride 0. */
    private static Operand operand(Tensor t) {
        int r = t.rank();
        int rowStride = r == 2 && t.dim(0) > 1 ? t.stride(0) : 0;
        int colStride = r >= 1 && t.dim(r - 1) > 1 ? t.stride(r - 1) : 0;
        return new Operand(t.span(), rowStride, colStride);
    }
}
