package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.ScalarOps;
import dev.ember.core.spi.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Backend#unary} and {@link Backend#binary}: every op in F32 and F64, lengths that leave SIMD
 * and thread-chunk tails, and every broadcasting form the core produces (row, column, scalar, 1-D, outer,
 * transposed and sliced views) on either side.
 */
public interface ElementwiseConformance extends ConformanceBase {

    int[] LENGTHS = {1, 3, 17, 64, 65, 1031, 70_001};
    int[][] GRIDS = {{1, 1}, {3, 7}, {33, 65}, {129, 1031}};

    static Stream<Arguments> unaryCases() {
        List<Arguments> out = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            for (DType dt : DType.values()) {
                out.add(Arguments.of(op, dt));
            }
        }
        return out.stream();
    }

    /** The scalar parameter each op is tested with. */
    static double param(UnaryOp op) {
        return switch (op) {
            case ADD_SCALAR -> 0.75;
            case MUL_SCALAR -> -1.5;
            case POW_SCALAR -> 1.7;
            case MIN_SCALAR -> 0.25;
            case MAX_SCALAR -> -0.5;
            default -> 0;
        };
    }

    /** Inputs inside each op's domain, with zeros for those that are defined there. */
    static double[] unaryInput(UnaryOp op, DType dt, int n, long seed) {
        return switch (op) {
            case LOG, SQRT, RSQRT, POW_SCALAR -> Host.uniform(dt, seed, n, 0.05, 8);
            case RECIPROCAL -> Host.uniformAwayFromZero(dt, seed, n, 4, 0.25);
            case EXP -> Host.uniform(dt, seed, n, -10, 10);
            case SIGN, ABS, NEG -> {
                double[] v = Host.uniform(dt, seed, n, -3, 3);
                for (int i = 0; i < n; i += 5) {
                    v[i] = 0;
                }
                yield v;
            }
            default -> Host.uniform(dt, seed, n, -3, 3);
        };
    }

    /** The definition in core ({@link ScalarOps}), evaluated in double. */
    static double unaryReference(UnaryOp op, double p, double x) {
        return ScalarOps.unary(op, p, x);
    }

    static double[] unaryReference(UnaryOp op, double p, double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = unaryReference(op, p, x[i]);
        }
        return out;
    }

    static Tensor applyUnary(UnaryOp op, double p, Tensor x) {
        return switch (op) {
            case NEG -> x.neg();
            case ABS -> x.abs();
            case EXP -> x.exp();
            case LOG -> x.log();
            case SQRT -> x.sqrt();
            case RSQRT -> x.rsqrt();
            case SQUARE -> x.square();
            case RECIPROCAL -> x.reciprocal();
            case SIGN -> x.sign();
            case ADD_SCALAR -> x.add(p);
            case MUL_SCALAR -> x.mul(p);
            case POW_SCALAR -> x.pow(p);
            case MIN_SCALAR -> x.clampMax(p);
            case MAX_SCALAR -> x.clampMin(p);
            case TANH -> x.tanh();
        };
    }

    /** Through the tensor API (which runs the kernel in place on a copy: out aliases x). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ElementwiseConformance#unaryCases")
    default void unaryMatchesReference(UnaryOp op, DType dt) {
        Backend be = backend();
        double p = param(op);
        for (int n : LENGTHS) {
            double[] x = unaryInput(op, dt, n, n * 31L + op.ordinal());
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, n);
                Tensor y = applyUnary(op, p, tx);
                assertThat(y.shape()).isEqualTo(tx.shape());
                assertThat(y.dtype()).isEqualTo(dt);
                Host.assertClose(op + " " + dt + " n=" + n, unaryReference(op, p, x), values(y),
                        Host.rtol(dt), Host.rtol(dt) * 1e-3);
                Host.assertExact(op + " input unchanged", x, values(tx));
            }
        }
    }

    /** Non-aliased output at an offset, input at another offset; nothing outside the output span is written. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void unaryWithOffsetsAndSeparateOutput(DType dt) {
        Backend be = backend();
        for (UnaryOp op : UnaryOp.values()) {
            for (int n : new int[] {1, 33, 1031}) {
                double[] x = unaryInput(op, dt, n, n + 7L * op.ordinal());
                double p = param(op);
                try (Scope _ = Scope.open()) {
                    Tensor in = Host.padded(be, dt, x, 5, 2, 1);
                    Tensor out = Host.padded(be, dt, new double[n], 3, 4, -777);
                    be.unary(op, p, at(in, 5), at(out, 3), n);
                    String what = "unary " + op + " " + dt + " n=" + n + " at offsets";
                    Host.assertClose(what, unaryReference(op, p, x), Host.read(be, at(out, 3), n),
                            Host.rtol(dt), Host.rtol(dt) * 1e-3);
                    Host.assertPaddingIntact(what, out, 3, n, -777);
                }
            }
        }
    }

    /** x ^ p with an integer p is defined for a negative base. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void powWithIntegerExponentOfNegativeBase(DType dt) {
        Backend be = backend();
        double[] x = Host.uniform(dt, 3, 257, -3, 3);
        x[0] = 0;
        x[1] = -2;
        for (double p : new double[] {2, 3, 0, 1}) {
            try (Scope _ = Scope.open()) {
                Host.assertClose("pow " + dt + " p=" + p, unaryReference(UnaryOp.POW_SCALAR, p, x),
                        values(Host.tensor(be, dt, x, x.length).pow(p)), Host.rtol(dt), Host.rtol(dt) * 1e-3);
            }
        }
    }

    // ------------------------------------------------------------------ binary

    /** How the two operands of a binary op are shaped and laid out. */
    enum Pattern {
        SAME, ROW_RIGHT, ROW_LEFT, COLUMN_RIGHT, COLUMN_LEFT, OUTER, VECTOR_RIGHT, VECTOR_LEFT,
        SCALAR_RIGHT, SCALAR_LEFT, ONE_D, TRANSPOSED_LEFT, TRANSPOSED_BOTH, TRANSPOSED_WITH_ROW, SLICED_WITH_COLUMN
    }

    static Stream<Arguments> binaryCases() {
        List<Arguments> out = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            for (DType dt : DType.values()) {
                for (Pattern p : Pattern.values()) {
                    out.add(Arguments.of(op, dt, p));
                }
            }
        }
        return out.stream();
    }

    static double binaryReference(BinaryOp op, double a, double b) {
        return ScalarOps.binary(op, a, b);
    }

    static Tensor applyBinary(BinaryOp op, Tensor a, Tensor b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.maximum(b);
            case MIN -> a.minimum(b);
            case GREATER -> a.greater(b);
        };
    }

    /** A logical host matrix: {@code rows x cols} row-major data, broadcast where a dimension is 1. */
    record Logical(double[] data, int rows, int cols) {
        double get(int i, int j) {
            return data[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)];
        }
    }

    /** Multiples of 1/8 (exact in both dtypes, with ties for MAX/MIN/GREATER); no zeros in a divisor. */
    static double[] binaryData(BinaryOp op, boolean divisor, int n, long seed) {
        double[] v = Host.eighths(seed, n, 2);
        if (divisor && op == BinaryOp.DIV) {
            for (int i = 0; i < n; i++) {
                if (Math.abs(v[i]) < 0.25) {
                    v[i] = (i & 1) == 0 ? 0.375 : -1.25;
                }
            }
        }
        return v;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("dev.ember.core.conformance.ElementwiseConformance#binaryCases")
    default void binaryMatchesReference(BinaryOp op, DType dt, Pattern pattern) {
        Backend be = backend();
        for (int[] g : GRIDS) {
            int m = g[0], n = g[1];
            long seed = 1000L * m + n + 17L * op.ordinal() + 101L * pattern.ordinal();
            try (Scope _ = Scope.open()) {
                Logical la, lb;
                Tensor a, b;
                int[] outDims = {m, n};
                switch (pattern) {
                    case SAME -> {
                        la = new Logical(binaryData(op, false, m * n, seed), m, n);
                        lb = new Logical(binaryData(op, true, m * n, seed + 1), m, n);
                        a = Host.tensor(be, dt, la.data(), m, n);
                        b = Host.tensor(be, dt, lb.data(), m, n);
                    }
                    case ROW_RIGHT, ROW_LEFT, VECTOR_RIGHT, VECTOR_LEFT -> {
                        boolean left = pattern == Pattern.ROW_LEFT || pattern == Pattern.VECTOR_LEFT;
                        boolean oneD = pattern == Pattern.VECTOR_RIGHT || pattern == Pattern.VECTOR_LEFT;
                        Logical full = new Logical(binaryData(op, left, m * n, seed), m, n);
                        Logical row = new Logical(binaryData(op, !left, n, seed + 1), 1, n);
                        Tensor tf = Host.tensor(be, dt, full.data(), m, n);
                        Tensor tr = oneD ? Host.tensor(be, dt, row.data(), n) : Host.tensor(be, dt, row.data(), 1, n);
                        la = left ? row : full;
                        lb = left ? full : row;
                        a = left ? tr : tf;
                        b = left ? tf : tr;
                    }
                    case COLUMN_RIGHT, COLUMN_LEFT -> {
                        boolean left = pattern == Pattern.COLUMN_LEFT;
                        Logical full = new Logical(binaryData(op, left, m * n, seed), m, n);
                        Logical col = new Logical(binaryData(op, !left, m, seed + 1), m, 1);
                        Tensor tf = Host.tensor(be, dt, full.data(), m, n);
                        Tensor tc = Host.tensor(be, dt, col.data(), m, 1);
                        la = left ? col : full;
                        lb = left ? full : col;
                        a = left ? tc : tf;
                        b = left ? tf : tc;
                    }
                    case OUTER -> {
                        la = new Logical(binaryData(op, false, m, seed), m, 1);
                        lb = new Logical(binaryData(op, true, n, seed + 1), 1, n);
                        a = Host.tensor(be, dt, la.data(), m, 1);
                        b = Host.tensor(be, dt, lb.data(), 1, n);
                    }
                    case SCALAR_RIGHT, SCALAR_LEFT -> {
                        boolean left = pattern == Pattern.SCALAR_LEFT;
                        Logical full = new Logical(binaryData(op, left, m * n, seed), m, n);
                        Logical one = new Logical(binaryData(op, !left, 1, seed + 1), 1, 1);
                        Tensor tf = Host.tensor(be, dt, full.data(), m, n);
                        Tensor ts = Host.tensor(be, dt, one.data());
                        la = left ? one : full;
                        lb = left ? full : one;
                        a = left ? ts : tf;
                        b = left ? tf : ts;
                    }
                    case ONE_D -> {
                        int len = m * n;
                        la = new Logical(binaryData(op, false, len, seed), 1, len);
                        lb = new Logical(binaryData(op, true, len, seed + 1), 1, len);
                        a = Host.tensor(be, dt, la.data(), len);
                        b = Host.tensor(be, dt, lb.data(), len);
                        outDims = new int[] {len};
                    }
                    case TRANSPOSED_LEFT, TRANSPOSED_BOTH, TRANSPOSED_WITH_ROW -> {
                        la = new Logical(binaryData(op, false, m * n, seed), m, n);
                        a = Host.tensor(be, dt, GemmConformance.transposed(la.data(), m, n), n, m).transpose();
                        if (pattern == Pattern.TRANSPOSED_WITH_ROW) {
                            lb = new Logical(binaryData(op, true, n, seed + 1), 1, n);
                            b = Host.tensor(be, dt, lb.data(), 1, n);
                        } else {
                            lb = new Logical(binaryData(op, true, m * n, seed + 1), m, n);
                            b = pattern == Pattern.TRANSPOSED_BOTH
                                    ? Host.tensor(be, dt, GemmConformance.transposed(lb.data(), m, n), n, m).transpose()
                                    : Host.tensor(be, dt, lb.data(), m, n);
                        }
                    }
                    case SLICED_WITH_COLUMN -> {
                        la = new Logical(binaryData(op, false, m * n, seed), m, n);
                        lb = new Logical(binaryData(op, true, m, seed + 1), m, 1);
                        double[] big = Host.filled((m + 3) * n, Double.NaN);
                        System.arraycopy(la.data(), 0, big, 2 * n, m * n);
                        a = Host.tensor(be, dt, big, m + 3, n).slice(2, 2 + m);
                        double[] bigCol = Host.filled(m + 4, Double.NaN);
                        System.arraycopy(lb.data(), 0, bigCol, 1, m);
                        b = Host.tensor(be, dt, bigCol, m + 4, 1).slice(1, 1 + m);
                    }
                    default -> throw new AssertionError(pattern);
                }
                Tensor out = applyBinary(op, a, b);
                assertThat(out.shape().dims()).as("%s %s shape", op, pattern).containsExactly(outDims);
                assertThat(out.dtype()).isEqualTo(dt);
                int rows = outDims.length == 1 ? 1 : m;
                int cols = outDims.length == 1 ? outDims[0] : n;
                double[] expected = new double[rows * cols];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        expected[i * cols + j] = binaryReference(op, la.get(i, j), lb.get(i, j));
                    }
                }
                Host.assertClose(op + " " + dt + " " + pattern + " " + a.shape() + " op " + b.shape(), expected,
                        values(out), Host.rtol(dt) * 0.1, 0);
            }
        }
    }

    /** The output may alias a dense operand; operands may sit at offsets with arbitrary strides. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void binaryStridedOperandsAndAliasedOutput(DType dt) {
        Backend be = backend();
        int rows = 17, cols = 65;
        for (BinaryOp op : BinaryOp.values()) {
            double[] a = binaryData(op, false, rows * cols, op.ordinal());
            double[] bT = binaryData(op, true, rows * cols, 50 + op.ordinal()); // stored column-major
            double[] expected = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    expected[i * cols + j] = binaryReference(op, a[i * cols + j], bT[j * rows + i]);
                }
            }
            try (Scope _ = Scope.open()) {
                // a dense at offset 4, b column-major at offset 9, out written over a
                Tensor ta = Host.padded(be, dt, a, 4, 3, -555);
                Tensor tb = Host.padded(be, dt, bT, 9, 1, Double.NaN);
                be.binary(op, rows, cols, Operand.dense(at(ta, 4), cols), new Operand(at(tb, 9), 1, rows), at(ta, 4));
                String what = "binary " + op + " " + dt + " out aliasing a, b column-major at an offset";
                Host.assertClose(what, expected, Host.read(be, at(ta, 4), rows * cols), Host.rtol(dt) * 0.1, 0);
                Host.assertPaddingIntact(what, ta, 4, rows * cols, -555);

                // scalar and row operands through the SPI factories, into a separate output
                Tensor out = Host.padded(be, dt, new double[rows * cols], 2, 2, -555);
                Tensor row = Host.tensor(be, dt, java.util.Arrays.copyOf(bT, cols), cols);
                Tensor scalar = Host.tensor(be, dt, new double[] {bT[0]});
                be.binary(op, rows, cols, Operand.row(row.span()), Operand.scalar(scalar.span()), at(out, 2));
                double[] exp2 = new double[rows * cols];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        exp2[i * cols + j] = binaryReference(op, bT[j], bT[0]);
                    }
                }
                Host.assertClose("binary " + op + " " + dt + " row op scalar", exp2, Host.read(be, at(out, 2),
                        rows * cols), Host.rtol(dt) * 0.1, 0);
                Host.assertPaddingIntact("binary row op scalar", out, 2, rows * cols, -555);
            }
        }
    }
}
