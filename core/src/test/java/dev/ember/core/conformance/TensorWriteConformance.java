package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Elementwise;
import dev.ember.core.LinearAlgebra;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public tensor methods that write into existing tensors or build them from host data: typed
 * factories, {@code copyFrom}, {@code fill}, {@code broadcastTo}, GEMM with transpose flags into an
 * output, and the in-place element-wise forms. What a training step uses instead of raw SPI calls.
 */
public interface TensorWriteConformance extends ConformanceBase {

    @ParameterizedTest
    @EnumSource(DType.class)
    default void typedFactoryAndCopyFromRoundToTheDtype(DType dt) {
        Backend be = backend();
        double[] data = {0.1, -1.0 / 3, 2.5, 1e-3, 65504.0001, 16777217};
        Tensor t = Tensor.of(be, dt, data, 2, 3);
        assertThat(t.dtype()).isEqualTo(dt);
        assertThat(t.shape().dims()).containsExactly(2, 3);
        Host.assertExact("of " + dt, Host.round(dt, data), values(t));
        double[] next = {7, -0.0, 1.0 / 7, 3, 4, 5};
        assertThat(t.copyFrom(next)).isSameAs(t);
        Host.assertExact("copyFrom(double[]) " + dt, Host.round(dt, next), values(t));
        float[] f = {1.5f, 0.1f, -2f, 3f, 4f, 1e-3f};
        t.copyFrom(f);
        double[] fd = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            fd[i] = f[i];
        }
        Host.assertExact("copyFrom(float[]) " + dt, fd, values(t));
        // a contiguous row slice is written in place, leaving the rest of the buffer alone
        Tensor base = Tensor.zeros(be, dt, 4, 2);
        base.slice(1, 3).copyFrom(new double[] {1, 2, 3, 4});
        Host.assertExact("copyFrom into a slice " + dt, new double[] {0, 0, 1, 2, 3, 4, 0, 0}, values(base));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void fillWritesEveryElementOfItsViewInPlace(DType dt) {
        Backend be = backend();
        Tensor base = Tensor.full(be, dt, 1, 3, 2);
        Tensor rows = base.slice(1, 2);
        assertThat(rows.fill(-0.1)).isSameAs(rows);
        double v = Host.round(dt, -0.1);
        Host.assertExact("fill a slice " + dt, new double[] {1, 1, v, v, 1, 1}, values(base));
        Tensor scalar = Tensor.zeros(be, dt).fill(Double.NaN);
        assertThat(scalar.item()).isNaN();
    }

    @Test
    default void copyFromAndFillRejectBadTargetsNamingTheOperation() {
        Backend be = backend();
        Tensor t = Tensor.zeros(be, DType.F32, 2, 4);
        assertThatThrownBy(() -> t.copyFrom(new double[6]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copyFrom").hasMessageContaining("6 values").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> t.copyFrom(new float[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copyFrom").hasMessageContaining("9 values");
        assertThatThrownBy(() -> t.copyFrom((double[]) null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("copyFrom").hasMessageContaining("null");
        assertThatThrownBy(() -> t.transpose().copyFrom(new double[8]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("copyFrom").hasMessageContaining("[4, 2]").hasMessageContaining("contiguous");
        assertThatThrownBy(() -> t.transpose().fill(1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fill").hasMessageContaining("contiguous");
        assertThatThrownBy(() -> Tensor.of(be, DType.F64, new double[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("of").hasMessageContaining("5 values").hasMessageContaining("[2, 3]");
        assertThatThrownBy(() -> Tensor.of(be, null, new double[6], 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of").hasMessageContaining("null");
        assertThat(values(t)).as("nothing was written").containsOnly(0.0);
        Tensor closed = Tensor.zeros(be, DType.F32, 2);
        closed.close();
        assertThatThrownBy(() -> closed.fill(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fill").hasMessageContaining("closed");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void broadcastToRepeatsSizeOneAndMissingAxesWithoutCopying(DType dt) {
        Backend be = backend();
        Tensor row = Tensor.of(be, dt, new double[] {1, 2, 3}, 3);
        Tensor rows = row.broadcastTo(2, 3);
        assertThat(rows.shape().dims()).containsExactly(2, 3);
        assertThat(rows.isContiguous()).isFalse();
        Host.assertExact("row to matrix " + dt, new double[] {1, 2, 3, 1, 2, 3}, values(rows));
        Tensor col = Tensor.of(be, dt, new double[] {1, 2}, 2, 1);
        Host.assertExact("column to matrix " + dt, new double[] {1, 1, 1, 2, 2, 2}, values(col.broadcastTo(2, 3)));
        Tensor scalar = Tensor.of(be, dt, new double[] {4}, new int[0]);
        Host.assertExact("scalar to rank 3 " + dt, Host.filled(8, 4), values(scalar.broadcastTo(2, 2, 2)));
        // a transposed view broadcasts through its own strides
        Tensor m = Tensor.of(be, dt, new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Host.assertExact("transposed view to rank 3 " + dt, new double[] {1, 4, 2, 5, 3, 6, 1, 4, 2, 5, 3, 6},
                values(m.transpose().broadcastTo(2, 3, 2)));
        Tensor same = m.broadcastTo(2, 3);
        assertThat(same.isContiguous()).isTrue();
        Host.assertExact("dense copy " + dt, new double[] {1, 2, 3, 1, 2, 3}, values(rows.copy()));
    }

    @Test
    default void broadcastToRejectsIncompatibleShapes() {
        Backend be = backend();
        Tensor t = Tensor.zeros(be, DType.F32, 2, 3);
        assertThatThrownBy(() -> t.broadcastTo(3, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broadcastTo").hasMessageContaining("[2, 3]").hasMessageContaining("[3, 3]");
        assertThatThrownBy(() -> t.broadcastTo(3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broadcastTo").hasMessageContaining("lower rank");
    }

    /** Every combination of transpose flag and transposed-view operand, with alpha and beta. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void gemmIntoHonoursTransposeFlagsOnViewsAlphaAndBeta(DType dt) {
        Backend be = backend();
        int m = 5, n = 4, k = 7;
        double[] a = Host.uniform(dt, 31, m * k, -1, 1);
        double[] b = Host.uniform(dt, 32, k * n, -1, 1);
        double[] c0 = Host.uniform(dt, 33, m * n, -1, 1);
        double alpha = 1.5, beta = -0.5;
        double[] expected = GemmConformance.reference(alpha, a, b, beta, c0, m, n, k);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (boolean views : new boolean[] {false, true}) {
                    // op(A) is a [m, k]: with ta the operand holds a^T; as a view, that data is transposed twice
                    Tensor opA = operand(be, dt, a, m, k, ta, views);
                    Tensor opB = operand(be, dt, b, k, n, tb, views);
                    Tensor c = Tensor.of(be, dt, c0, m, n);
                    LinearAlgebra.gemmInto(ta, tb, alpha, opA, opB, beta, c);
                    GemmConformance.assertGemm("gemmInto ta=" + ta + " tb=" + tb + " views=" + views + " " + dt, dt,
                            expected, values(c), k, alpha, a, b, beta, c0);
                }
            }
        }
    }

    /** The operand that gives {@code data [rows, cols]} under flag {@code trans}, stored densely or as a view. */
    private static Tensor operand(Backend be, DType dt, double[] data, int rows, int cols, boolean trans,
                                  boolean view) {
        if (!trans) {
            return view ? Tensor.of(be, dt, GemmConformance.transposed(data, rows, cols), cols, rows).transpose()
                    : Tensor.of(be, dt, data, rows, cols);
        }
        return view ? Tensor.of(be, dt, data, rows, cols).transpose()
                : Tensor.of(be, dt, GemmConformance.transposed(data, rows, cols), cols, rows);
    }

    @Test
    default void gemmIntoRejectsShapesThatDoNotChainAndAliasedOutputs() {
        Backend be = backend();
        Tensor a = Tensor.zeros(be, DType.F32, 6, 4);
        Tensor b = Tensor.zeros(be, DType.F32, 6, 3);
        Tensor c = Tensor.zeros(be, DType.F32, 4, 3);
        LinearAlgebra.gemmInto(true, false, 1, a, b, 0, c);   // a^T [4, 6] x b [6, 3] chains
        assertThatThrownBy(() -> LinearAlgebra.gemmInto(false, false, 1, a, b, 0, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gemm: shapes do not chain").hasMessageContaining("[6, 4] x [6, 3] into [4, 3]");
        assertThatThrownBy(() -> LinearAlgebra.gemmInto(true, true, 1, a, b, 0, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[6, 4]^T x [6, 3]^T");
        assertThatThrownBy(() -> LinearAlgebra.gemmInto(true, false, Double.NaN, a, b, 0, c))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gemm").hasMessageContaining("alpha");
        Tensor square = Tensor.zeros(be, DType.F32, 4, 4);
        assertThatThrownBy(() -> LinearAlgebra.gemmInto(false, false, 1, square, square, 0, square))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gemm").hasMessageContaining("shares memory");
        assertThatThrownBy(() -> LinearAlgebra.gemmInto(true, false, 1, a, b, 0, Tensor.zeros(be, DType.F32, 12)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gemm").hasMessageContaining("rank 2");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void intoFormsMatchTheAllocatingOpsAndMayWriteInPlace(DType dt) {
        Backend be = backend();
        double[] x = Host.uniform(dt, 41, 12, -2, 2);
        double[] r = Host.uniform(dt, 42, 4, -2, 2);
        Tensor a = Tensor.of(be, dt, x, 3, 4);
        Tensor row = Tensor.of(be, dt, r, 4);
        // out apart from the inputs
        Tensor out = Tensor.zeros(be, dt, 3, 4);
        Elementwise.binaryInto(BinaryOp.MUL, a, row, out);
        Host.assertExact("binaryInto broadcast row " + dt, values(a.mul(row)), values(out));
        Elementwise.unaryInto(UnaryOp.EXP, 0, a, out);
        Host.assertExact("unaryInto " + dt, values(a.exp()), values(out));
        // in place: acc += row, acc = -acc, acc = scalar * acc, acc = row - acc (out is the second operand)
        Tensor acc = Tensor.of(be, dt, x, 3, 4);
        Elementwise.binaryInto(BinaryOp.ADD, acc, row, acc);
        Tensor expected = a.add(row);
        Host.assertExact("acc += row " + dt, values(expected), values(acc));
        Elementwise.unaryInto(UnaryOp.MUL_SCALAR, -0.5, acc, acc);
        expected = expected.mul(-0.5);
        Host.assertExact("acc *= -0.5 " + dt, values(expected), values(acc));
        Tensor twoD = row.reshape(1, 4);
        Elementwise.binaryInto(BinaryOp.SUB, twoD, acc, acc);
        Host.assertExact("acc = row - acc " + dt, values(twoD.sub(expected)), values(acc));
        // a scalar tensor accumulated in place, and a transposed (non-contiguous) input
        Tensor total = Tensor.zeros(be, dt);
        Tensor three = Tensor.full(be, dt, 3);
        Elementwise.binaryInto(BinaryOp.ADD, total, three, total);
        Elementwise.binaryInto(BinaryOp.ADD, total, three, total);
        assertThat(total.item()).isEqualTo(6.0);
        Tensor t = Tensor.zeros(be, dt, 4, 3);
        Elementwise.unaryInto(UnaryOp.SQUARE, 0, a.transpose(), t);
        Host.assertExact("unaryInto of a transposed view " + dt, values(a.transpose().square()), values(t));
    }

    @Test
    default void intoFormsRejectBadOutputsNamingTheOperation() {
        Backend be = backend();
        Tensor a = Tensor.zeros(be, DType.F32, 4, 3);
        Tensor row = Tensor.zeros(be, DType.F32, 3);
        assertThatThrownBy(() -> Elementwise.binaryInto(BinaryOp.ADD, a, row, Tensor.zeros(be, DType.F32, 3, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binaryInto").hasMessageContaining("[3, 3]").hasMessageContaining("[4, 3]");
        assertThatThrownBy(() -> Elementwise.binaryInto(BinaryOp.ADD, a, a, Tensor.zeros(be, DType.F32, 12)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binaryInto").hasMessageContaining("[12]");
        assertThatThrownBy(() -> Elementwise.binaryInto(BinaryOp.ADD, a, Tensor.zeros(be, DType.F32, 5), a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binaryInto").hasMessageContaining("[5]");
        assertThatThrownBy(() -> Elementwise.binaryInto(BinaryOp.ADD, a, row, Tensor.zeros(be, DType.F64, 4, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binaryInto").hasMessageContaining("dtype mismatch");
        assertThatThrownBy(() -> Elementwise.unaryInto(UnaryOp.NEG, 0, a, Tensor.zeros(be, DType.F32, 3, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unaryInto").hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> Elementwise.unaryInto(UnaryOp.MUL_SCALAR, Double.POSITIVE_INFINITY, a, a))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unaryInto").hasMessageContaining("finite");
        Tensor square = Tensor.zeros(be, DType.F32, 3, 3);
        assertThatThrownBy(() -> Elementwise.unaryInto(UnaryOp.NEG, 0, square, square.transpose()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unaryInto").hasMessageContaining("contiguous");
        // overlapping but shifted views of one buffer: the kernel would read what it already wrote
        Tensor base = Tensor.zeros(be, DType.F32, 4, 3);
        assertThatThrownBy(() -> Elementwise.binaryInto(BinaryOp.ADD, base.slice(0, 2), row, base.slice(1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binaryInto").hasMessageContaining("shares a buffer");
    }
}
