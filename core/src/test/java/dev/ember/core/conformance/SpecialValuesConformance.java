package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.ScalarOps;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The special-value rules of {@link Backend}'s javadoc (IEEE 754 and numpy): NaN propagates through
 * every op, infinities combine as IEEE says (also through compensated sums), softmax of a row holding
 * NaN is NaN, and -0 survives where IEEE keeps it. Inputs are long enough for every backend's vector
 * body and its scalar tail, and the special value sits in the middle of a row.
 */
public interface SpecialValuesConformance extends ConformanceBase {
    double NAN = Double.NaN;
    double INF = Double.POSITIVE_INFINITY;
    double[] SPECIALS = {NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0};

    /** {@code SPECIALS} repeated to {@code n} elements. */
    private static double[] cycle(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = SPECIALS[i % SPECIALS.length];
        }
        return out;
    }

    private static double param(UnaryOp op) {
        return switch (op) {
            case POW_SCALAR -> 3;
            case ADD_SCALAR, MUL_SCALAR -> 2;
            default -> 0;
        };
    }

    private static double[] expected(DType dt, double[] values) {
        return Host.round(dt, values);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void unaryOpsFollowIeee(DType dt) {
        Backend be = backend();
        int n = 7 * 19;
        double[] x = cycle(n);
        for (UnaryOp op : UnaryOp.values()) {
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                want[i] = ScalarOps.unary(op, param(op), x[i]);
            }
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, n);
                Tensor out = Tensor.zeros(be, dt, n);
                be.unary(op, param(op), tx.span(), out.span(), n);
                Host.assertClose(op + " " + dt + " on NaN, +-Inf, +-0, +-1", expected(dt, want), Host.values(out),
                        Host.rtol(dt), 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void binaryOpsFollowIeeeAndNumpy(DType dt) {
        Backend be = backend();
        int k = SPECIALS.length;
        int rows = 3;
        int cols = k * k;   // every pair (a, b) of special values in each row
        double[] a = new double[rows * cols];
        double[] b = new double[rows * cols];
        for (int i = 0; i < rows * cols; i++) {
            a[i] = SPECIALS[(i % cols) / k];
            b[i] = SPECIALS[i % k];
        }
        for (BinaryOp op : BinaryOp.values()) {
            double[] pairs = new double[rows * cols];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = ScalarOps.binary(op, a[i], b[i]);
            }
            try (Scope _ = Scope.open()) {
                Tensor ta = Host.tensor(be, dt, a, rows * cols);
                Tensor tb = Host.tensor(be, dt, b, rows * cols);
                Tensor out = Tensor.zeros(be, dt, rows * cols);
                be.binary(op, rows, cols, Operand.dense(ta.span(), cols), Operand.dense(tb.span(), cols), out.span());
                Host.assertExact(op + " " + dt + " on every pair of NaN, +-Inf, +-0, +-1", pairs, Host.values(out));

                Tensor nan = Host.tensor(be, dt, new double[] {NAN}, 1);   // broadcast NaN poisons all but GREATER
                be.binary(op, rows, cols, Operand.dense(ta.span(), cols), Operand.scalar(nan.span()), out.span());
                double[] want = Host.filled(rows * cols, op == BinaryOp.GREATER ? 0.0 : NAN);
                Host.assertExact(op + " " + dt + " with a broadcast NaN", want, Host.values(out));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void reductionsPropagateNaNAndAddInfinitiesAsIeee(DType dt) {
        Backend be = backend();
        int length = 1000;
        // rows: finite; one NaN; one +Inf; +Inf and -Inf; one -Inf; +Inf then NaN (argmax must take the NaN)
        double[][] specials = {{}, {NAN}, {INF}, {INF, -INF}, {-INF}, {INF, NAN}};
        int rows = specials.length;
        double[] x = new double[rows * length];
        for (int r = 0; r < rows; r++) {
            double[] finite = Host.eighths(r + 1, length, 4);
            System.arraycopy(finite, 0, x, r * length, length);
            for (int j = 0; j < specials[r].length; j++) {
                x[r * length + 400 + 211 * j] = specials[r][j];
            }
        }
        for (ReduceOp op : ReduceOp.values()) {
            double[] want = ReductionConformance.reference(op, x, new int[] {rows, length}, 1);
            try (Scope _ = Scope.open()) {
                // along the last axis (rows of a matrix) and along the first (columns of its transpose)
                Tensor rowsMajor = Host.tensor(be, dt, x, rows * length);
                Tensor out = Tensor.zeros(be, dt, rows);
                be.reduce(op, rowsMajor.span(), rows, length, 1, out.span());
                Host.assertClose(op + " " + dt + " along rows", expected(dt, want), Host.values(out), 1e-6, 0);

                double[] transposed = new double[rows * length];
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < length; j++) {
                        transposed[j * rows + r] = x[r * length + j];
                    }
                }
                Tensor columns = Host.tensor(be, dt, transposed, rows * length);
                be.reduce(op, columns.span(), 1, length, rows, out.span());
                Host.assertClose(op + " " + dt + " along columns", expected(dt, want), Host.values(out), 1e-6, 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void gemmSkipsNoZeroSoNaNAndInfPropagate(DType dt) {
        Backend be = backend();
        int m = 67;
        int n = 45;
        int k = 53;
        double[] a = Host.eighths(1, m * k, 2);
        double[] b = Host.eighths(2, k * n, 2);
        a[5 * k + 7] = NAN;           // row 5 of C is NaN
        a[9 * k + 11] = INF;          // row 9: Inf times column values of both signs and zeros
        Arrays.fill(a, 20 * k, 21 * k, 0.0);
        b[13 * n + 3] = NAN;          // column 3 of C is NaN, even in row 20 where A is all zeros
        double[] want = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += a[i * k + p] * b[p * n + j];
                }
                want[i * n + j] = sum;
            }
        }
        try (Scope _ = Scope.open()) {
            Tensor ta = Host.tensor(be, dt, a, m * k);
            Tensor tb = Host.tensor(be, dt, b, k * n);
            Tensor tc = Tensor.zeros(be, dt, m * n);
            be.gemm(false, false, m, n, k, 1, ta.span(), k, tb.span(), n, 0, tc.span(), n);
            Host.assertClose("gemm " + dt + " with NaN, Inf and a zero row", expected(dt, want), Host.values(tc),
                    Host.rtol(dt), Host.rtol(dt));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void activationsPropagateNaNAndSaturateAtInfinity(DType dt) {
        Backend be = backend();
        int n = 7 * 19;
        double[] x = cycle(n);
        for (Activation act : Activation.values()) {
            double slope = act == Activation.LEAKY_RELU ? 0.1 : 0;
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                want[i] = ActivationConformance.forward(act, slope, x[i]);
            }
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, n);
                Tensor y = Tensor.zeros(be, dt, n);
                be.activation(act, slope, tx.span(), y.span(), n);
                Host.assertClose(act + " " + dt + " on NaN, +-Inf, +-0, +-1", expected(dt, want), Host.values(y),
                        Host.rtol(dt), 0);

                Tensor bias = Host.tensor(be, dt, new double[] {0, NAN, 1}, 3);   // a NaN bias poisons its column
                Tensor ones = Host.tensor(be, dt, Host.filled(3 * 40, 1), 40 * 3);
                Tensor out = Tensor.zeros(be, dt, 40 * 3);
                be.biasActivation(act, slope, ones.span(), bias.span(), out.span(), 40, 3);
                double[] got = Host.values(out);
                for (int r = 0; r < 40; r++) {
                    assertThat(got[r * 3 + 1]).as("%s %s biasActivation with a NaN bias", act, dt).isNaN();
                    assertThat(got[r * 3 + 2]).as("%s %s biasActivation beside it", act, dt).isFinite();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void gradientsKeepANaNOrInfiniteUpstreamGradientWhereTheSlopeIsZero(DType dt) {
        Backend be = backend();
        int n = 3 * 21;
        double[] x = new double[n];
        double[] dy = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 3 == 0 ? -1 : i % 3 == 1 ? 0 : 2;                 // slope 0, 0 and 1 for the ReLU
            dy[i] = i % 7 == 0 ? NAN : i % 7 == 1 ? INF : i % 7 == 2 ? -INF : 0.5;
        }
        for (Activation act : new Activation[] {Activation.RELU, Activation.LEAKY_RELU}) {
            double slope = act == Activation.LEAKY_RELU ? 0.1 : 0;
            double[] want = new double[n];
            for (int i = 0; i < n; i++) {
                want[i] = dy[i] * ActivationConformance.derivative(act, slope, x[i], 0);
            }
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, n);
                Tensor tdy = Host.tensor(be, dt, dy, n);
                Tensor dx = Tensor.zeros(be, dt, n);
                be.activationBackward(act, slope, tx.span(), tx.span(), tdy.span(), dx.span(), n);
                Host.assertClose(act + " backward " + dt + " with NaN and +-Inf in dy", expected(dt, want),
                        Host.values(dx), Host.rtol(dt), 0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void aLeakyReluOfSlopeZeroIsTheRelu(DType dt) {
        Backend be = backend();
        double[] x = {NAN, INF, -INF, -0.0, 0.0, -2, 3};
        try (Scope _ = Scope.open()) {
            Tensor tx = Host.tensor(be, dt, x, x.length);
            Host.assertExact("leakyRelu(0) " + dt, Host.values(tx.relu()), Host.values(tx.leakyRelu(0)));
            assertThat(Host.values(tx.leakyRelu(0))[2]).as("leakyRelu(-Inf) with slope 0").isEqualTo(0.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void softmaxOfARowHoldingNaNOrInfIsNaNAndMinusInfIsAMask(DType dt) {
        Backend be = backend();
        int cols = 37;
        int rows = 5;
        double[] x = Host.uniform(dt, 3, rows * cols, -2, 2);
        x[cols + 20] = NAN;                   // row 1
        x[2 * cols + 5] = INF;                // row 2
        for (int j = 0; j < cols; j += 2) {   // row 3: every other logit masked
            x[3 * cols + j] = -INF;
        }
        Arrays.fill(x, 4 * cols, 5 * cols, -INF);   // row 4: all masked, NaN as in numpy
        for (boolean log : new boolean[] {false, true}) {
            double[] want = ActivationConformance.softmaxReference(log, x, rows, cols);
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, rows * cols);
                Tensor y = Tensor.zeros(be, dt, rows * cols);
                be.softmax(log, tx.span(), y.span(), rows, cols);
                Host.assertClose((log ? "logSoftmax " : "softmax ") + dt + " with NaN, +Inf and -Inf logits",
                        expected(dt, want), Host.values(y), 1e-5, 1e-7);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void negativeZeroSurvivesWhereIeeeKeepsIt(DType dt) {
        Backend be = backend();
        int n = 70;
        try (Scope _ = Scope.open()) {
            Tensor filled = Tensor.zeros(be, dt, n);
            be.fill(filled.span(), n, -0.0);
            assertAllNegativeZero("fill(-0) " + dt, Host.values(filled));

            Tensor zeros = Tensor.zeros(be, dt, n);
            Tensor out = Tensor.zeros(be, dt, n);
            be.unary(UnaryOp.NEG, 0, zeros.span(), out.span(), n);
            assertAllNegativeZero("NEG(0) " + dt, Host.values(out));
            for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGN, UnaryOp.SQRT, UnaryOp.MUL_SCALAR, UnaryOp.TANH}) {
                be.unary(op, 2, filled.span(), out.span(), n);
                assertAllNegativeZero(op + "(-0) " + dt, Host.values(out));
            }

            Span copy = Tensor.zeros(be, dt, n).span();
            be.copyStrided(filled.span(), new int[] {7, 10}, new int[] {10, 1}, copy);
            assertAllNegativeZero("copyStrided(-0) " + dt, Host.read(be, copy, n));
            DType other = dt == DType.F32 ? DType.F64 : DType.F32;
            Span cast = Tensor.zeros(be, other, n).span();
            be.cast(filled.span(), cast, n);
            assertAllNegativeZero("cast(-0) " + dt + " to " + other, Host.read(be, cast, n));
        }
    }

    private static void assertAllNegativeZero(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            assertThat(Double.doubleToRawLongBits(values[i])).as("%s: element %d is %s, expected -0.0", what, i,
                    values[i]).isEqualTo(Double.doubleToRawLongBits(-0.0));
        }
    }
}
