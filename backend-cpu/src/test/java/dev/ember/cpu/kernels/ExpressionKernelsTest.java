package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.Expressions;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.UnaryOp;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU's fused expressions against the same operations run eagerly: with correctly rounded
 * operations only (+, -, *, /, sqrt, min, max, comparisons), fused and eager agree bit for bit at
 * every size, block boundary and thread count, whatever the broadcasting.
 */
class ExpressionKernelsTest extends KernelTestSupport {

    static Stream<Object[]> cases() {
        List<Object[]> out = new ArrayList<>();
        for (CpuBackend backend : new CpuBackend[] {SERIAL, THREADED}) {
            for (DType dt : DType.values()) {
                for (int[] grid : new int[][] {{1, 1}, {1, 255}, {1, 257}, {3, 513}, {40, 7}, {600, 300}}) {
                    out.add(new Object[] {backend, dt, grid[0], grid[1]});
                }
            }
        }
        return out.stream();
    }

    /** {@code out0 = sqrt(max((x + bias) * scale, 0)) / (1 + x*x)}, {@code out1 = (x > bias) - min(x, scale)}. */
    private static Expression exactOps() {
        Expression.Builder e = Expression.builder(3);
        int x = e.input(0);
        int z = e.binary(BinaryOp.MUL, e.binary(BinaryOp.ADD, x, e.input(1)), e.input(2));
        int root = e.unary(UnaryOp.SQRT, 0, e.unary(UnaryOp.MAX_SCALAR, 0, z));
        int denominator = e.unary(UnaryOp.ADD_SCALAR, 1, e.binary(BinaryOp.MUL, x, x));
        int first = e.binary(BinaryOp.DIV, root, denominator);
        int second = e.binary(BinaryOp.SUB, e.binary(BinaryOp.GREATER, x, e.input(1)),
                e.binary(BinaryOp.MIN, x, e.input(2)));
        return e.build(first, second);
    }

    @ParameterizedTest(name = "{0} {1} {2}x{3}")
    @MethodSource("cases")
    void fusedEqualsEagerBitForBit(CpuBackend backend, DType dt, int rows, int cols) {
        try (Scope _ = Scope.open()) {
            Tensor x = Tensor.random(backend, dt, Distribution.NORMAL, 0, 2, 1, 1, rows, cols);
            Tensor bias = Tensor.random(backend, dt, Distribution.NORMAL, 0, 1, 1, 2, cols);
            Tensor scale = Tensor.random(backend, dt, Distribution.UNIFORM, -1, 2, 1, 3, rows, 1);
            Tensor[] fused = Expressions.evaluate(exactOps(), x, bias, scale);

            Tensor z = x.add(bias).mul(scale);
            Tensor first = z.clampMin(0).sqrt().div(x.mul(x).add(1));
            Tensor second = x.greater(bias).sub(x.minimum(scale));
            assertThat(fused[0].toDoubleArray()).containsExactly(first.toDoubleArray());
            assertThat(fused[1].toDoubleArray()).containsExactly(second.toDoubleArray());
        }
    }
}
