package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Expressions;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Backend#evaluate} through {@link Expressions}: a fused expression gives what the same
 * operations give one by one (eager), with numpy broadcasting of its inputs, several outputs,
 * outputs written in place over an input, special values propagating, and bad calls rejected
 * before anything runs.
 */
public interface ExpressionConformance extends ConformanceBase {

    /**
     * A dense layer's tail and more: {@code z = (x + bias) * scale} with x {@code [rows, cols]}, bias a
     * row and scale a column; outputs {@code relu(z)} and {@code tanh(0.5 * sigmoid(z)) - (x > 0.5)}.
     */
    static Expression denseTail() {
        Expression.Builder e = Expression.builder(3);
        int z = e.binary(BinaryOp.MUL, e.binary(BinaryOp.ADD, e.input(0), e.input(1)), e.input(2));
        int relu = e.unary(UnaryOp.MAX_SCALAR, 0, z);
        int sigmoid = e.unary(UnaryOp.RECIPROCAL, 0,
                e.unary(UnaryOp.ADD_SCALAR, 1, e.unary(UnaryOp.EXP, 0, e.unary(UnaryOp.NEG, 0, z))));
        int half = e.constant(0.5);
        int squashed = e.unary(UnaryOp.TANH, 0, e.binary(BinaryOp.MUL, sigmoid, half));
        int mask = e.binary(BinaryOp.GREATER, e.input(0), half);
        return e.build(relu, e.binary(BinaryOp.SUB, squashed, mask));
    }

    /** The operands {@link #denseTail()} reads from spans {@code s[0..2]}: x dense, bias a row, scale a column. */
    static Operand[] denseTailOperands(Span[] s, int cols) {
        return new Operand[] {Operand.dense(s[0], cols), Operand.row(s[1]), Operand.column(s[2])};
    }

    /** The same computation, one eager operation at a time. */
    private static Tensor[] denseTailEagerly(Tensor x, Tensor bias, Tensor scale) {
        Tensor z = x.add(bias).mul(scale);
        Tensor sigmoid = z.neg().exp().add(1).reciprocal();
        Tensor half = Tensor.full(x.backend(), x.dtype(), 0.5);
        Tensor second = sigmoid.mul(half).tanh().sub(x.greater(half));
        return new Tensor[] {z.clampMin(0), second};
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void anExpressionGivesWhatItsOperationsGiveOneByOne(DType dt) {
        Backend be = backend();
        for (int[] grid : new int[][] {{1, 1}, {3, 17}, {37, 19}, {64, 300}}) {
            int rows = grid[0];
            int cols = grid[1];
            try (Scope _ = Scope.open()) {
                Tensor x = Host.tensor(be, dt, Host.uniform(dt, rows + cols, rows * cols, -3, 3), rows, cols);
                Tensor bias = Host.tensor(be, dt, Host.uniform(dt, 5, cols, -1, 1), cols);
                Tensor scale = Host.tensor(be, dt, Host.uniform(dt, 6, rows, 0.5, 2), rows, 1);
                Tensor[] fused = Expressions.evaluate(denseTail(), x, bias, scale);
                Tensor[] eager = denseTailEagerly(x, bias, scale);
                for (int k = 0; k < 2; k++) {
                    assertThat(fused[k].shape()).isEqualTo(x.shape());
                    Host.assertClose("output " + k + " " + dt + " " + rows + "x" + cols, values(eager[k]),
                            values(fused[k]), Host.rtol(dt), Host.rtol(dt));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void anOutputMayOverwriteAnInputAndViewsAreReadThroughTheirStrides(DType dt) {
        Backend be = backend();
        Expression.Builder b = Expression.builder(2);
        Expression axpy = b.build(b.binary(BinaryOp.ADD, b.binary(BinaryOp.MUL, b.input(0), b.constant(-2)),
                b.input(1)));
        try (Scope _ = Scope.open()) {
            double[] y = Host.uniform(dt, 7, 6 * 5, -1, 1);
            double[] xt = Host.uniform(dt, 8, 5 * 6, -1, 1);
            Tensor ty = Host.tensor(be, dt, y, 6, 5);
            Tensor x = Host.tensor(be, dt, xt, 5, 6).transpose();   // a [6, 5] view with strides (1, 6)
            Expressions.evaluateInto(axpy, new Tensor[] {ty}, x, ty);
            double[] want = new double[30];
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 5; j++) {
                    want[i * 5 + j] = Host.round(dt, Host.round(dt, xt[j * 6 + i] * -2) + y[i * 5 + j]);
                }
            }
            Host.assertExact("y = -2 x^T + y in place " + dt, want, values(ty));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void specialValuesPropagateThroughAFusedExpression(DType dt) {
        Backend be = backend();
        int rows = 4;
        int cols = 40;
        double[] x = Host.uniform(dt, 9, rows * cols, -3, 3);
        x[cols + 7] = Double.NaN;
        x[2 * cols + 9] = Double.POSITIVE_INFINITY;
        x[3 * cols + 11] = Double.NEGATIVE_INFINITY;
        try (Scope _ = Scope.open()) {
            Tensor tx = Host.tensor(be, dt, x, rows, cols);
            Tensor bias = Tensor.zeros(be, dt, cols);
            Tensor scale = Host.tensor(be, dt, Host.filled(rows, 1), rows, 1);
            Tensor[] fused = Expressions.evaluate(denseTail(), tx, bias, scale);
            Tensor[] eager = denseTailEagerly(tx, bias, scale);
            for (int k = 0; k < 2; k++) {
                Host.assertClose("output " + k + " " + dt + " with NaN, +Inf, -Inf", values(eager[k]),
                        values(fused[k]), Host.rtol(dt), Host.rtol(dt));
            }
            assertThat(values(fused[0])[cols + 7]).as("relu(NaN)").isNaN();
            assertThat(values(fused[0])[2 * cols + 9]).as("relu(+Inf)").isEqualTo(Double.POSITIVE_INFINITY);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void equalShapesOfAnyRankAndScalarsBroadcast(DType dt) {
        Backend be = backend();
        Expression.Builder b = Expression.builder(2);
        Expression product = b.build(b.binary(BinaryOp.MUL, b.input(0), b.input(1)));
        try (Scope _ = Scope.open()) {
            double[] a = Host.uniform(dt, 10, 2 * 3 * 4, -2, 2);
            Tensor t3 = Host.tensor(be, dt, a, 2, 3, 4);
            Tensor same = Expressions.evaluate(product, t3, t3)[0];
            Tensor byScalar = Expressions.evaluate(product, t3.reshape(6, 4), Tensor.full(be, dt, 3))[0];
            double[] squares = new double[a.length];
            double[] tripled = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                squares[i] = Host.round(dt, a[i] * a[i]);
                tripled[i] = Host.round(dt, a[i] * 3);
            }
            assertThat(same.shape()).isEqualTo(t3.shape());
            Host.assertExact("x * x, rank 3 " + dt, squares, values(same));
            Host.assertExact("x * 3 with a rank-0 input " + dt, tripled, values(byScalar));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void badCallsFailBeforeAnythingRuns(DType dt) {
        Backend be = backend();
        try (Scope _ = Scope.open()) {
            Tensor x = Tensor.zeros(be, dt, 3, 4);
            Tensor other = Tensor.zeros(be, dt == DType.F32 ? DType.F64 : DType.F32, 3, 4);
            long allocations = be.memory().totalAllocations();
            assertThatThrownBy(() -> Expressions.evaluate(denseTail(), x, x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evaluate: the expression takes 3 inputs, got 2");
            assertThatThrownBy(() -> Expressions.evaluate(denseTail(), x, Tensor.zeros(be, dt, 5), x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("shapes cannot be broadcast together: [3, 4] and [5]");
            assertThatThrownBy(() -> Expressions.evaluate(denseTail(), x, x, other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evaluate: dtype mismatch: " + dt);
            assertThatThrownBy(() -> Expressions.evaluateInto(denseTail(), new Tensor[] {x.transpose(), x}, x, x, x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be contiguous");
            Tensor square = Tensor.zeros(be, dt, 4, 4);
            Tensor other4 = Tensor.zeros(be, dt, 4, 4);
            assertThatThrownBy(() -> Expressions.evaluateInto(denseTail(), new Tensor[] {square, other4},
                    square.transpose(), other4, other4))   // the output would overwrite what later elements read
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("evaluateInto: output [4, 4] shares a buffer with input [4, 4]");
            assertThatThrownBy(() -> Expressions.evaluateInto(denseTail(), new Tensor[] {square, square},
                    other4, other4, other4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outputs 0 and 1 share a buffer");
            assertThat(be.memory().totalAllocations()).as("allocations by the rejected calls")
                    .isEqualTo(allocations + 3);   // only the tensors the test itself built: [5] and two [4, 4]
        }
    }
}
