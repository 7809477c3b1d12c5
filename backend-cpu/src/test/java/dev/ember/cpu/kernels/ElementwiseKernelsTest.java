package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.ScalarOps;
import dev.ember.core.spi.UnaryOp;
import dev.ember.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** fill, cast, copyStrided, unary and binary against scalar double references. */
class ElementwiseKernelsTest extends KernelTestSupport {
    private static final int LARGE = 200_003; // above the parallel grain, odd

    private static int[] sizesAndLarge() {
        int[] s = java.util.Arrays.copyOf(SIZES, SIZES.length + 1);
        s[SIZES.length] = LARGE;
        return s;
    }

    @Test
    void fillAndCast() {
        backends().forEach(be -> {
            for (int n : sizesAndLarge()) {
                for (DType dt : DType.values()) {
                    Span s = zeros(be, dt, n);
                    be.fill(s, n, 0.1);
                    double[] expected = new double[n];
                    java.util.Arrays.fill(expected, dt == DType.F32 ? (float) 0.1 : 0.1);
                    assertExact("fill " + dt, dt, expected, download(be, s, n));
                    assertThat(download(be, s, n + 1)[n]).as("element after the filled range").isZero();
                }
                double[] v = gaussian(new Random(n), n);
                for (DType from : DType.values()) {
                    for (DType to : DType.values()) {
                        Span src = upload(be, from, v);
                        Span dst = zeros(be, to, n);
                        be.cast(src, dst, n);
                        assertExact("cast " + from + "->" + to, to, rounded(from, v), download(be, dst, n));
                    }
                }
            }
        });
    }

    @Test
    void copyStridedMatchesIndexFormula() {
        List<int[][]> cases = new ArrayList<>(); // {shape, strides}
        cases.add(new int[][] {{}, {}});
        cases.add(new int[][] {{5}, {1}});
        cases.add(new int[][] {{7}, {3}});
        cases.add(new int[][] {{9}, {0}});
        cases.add(new int[][] {{4, 6}, {6, 1}});
        cases.add(new int[][] {{4, 6}, {1, 4}}); // transpose, too small to tile
        cases.add(new int[][] {{70, 45}, {1, 70}}); // transpose, tiled
        cases.add(new int[][] {{33, 65}, {1, 40}}); // transpose of a slice
        cases.add(new int[][] {{3, 40, 50}, {2000, 1, 40}}); // batched transpose
        cases.add(new int[][] {{3, 1, 5}, {5, 99, 1}}); // size-1 axis
        cases.add(new int[][] {{4, 5}, {0, 1}}); // broadcast row
        cases.add(new int[][] {{4, 5}, {1, 0}}); // broadcast column
        cases.add(new int[][] {{2, 3, 4}, {1, 2, 6}}); // reversed axes
        cases.add(new int[][] {{2, 3, 4}, {24, 8, 2}}); // every other element
        cases.add(new int[][] {{600, 300}, {300, 1}}); // large, contiguous
        cases.add(new int[][] {{300, 600}, {1, 300}}); // large transpose
        cases.add(new int[][] {{3, 0, 4}, {0, 0, 1}}); // empty
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int[][] c : cases) {
                int[] shape = c[0];
                int[] strides = c[1];
                int n = 1;
                int extent = 1;
                for (int k = 0; k < shape.length; k++) {
                    n *= shape[k];
                    extent += Math.max(0, shape[k] - 1) * strides[k];
                }
                double[] v = gaussian(new Random(n), Math.max(extent, 1));
                Span src = upload(be, dt, v);
                Span dst = zeros(be, dt, Math.max(n, 1));
                be.copyStrided(src, shape, strides, dst);
                double[] expected = new double[n];
                int[] idx = new int[shape.length];
                for (int i = 0; i < n; i++) {
                    int off = 0;
                    for (int k = 0; k < shape.length; k++) {
                        off += idx[k] * strides[k];
                    }
                    expected[i] = v[off];
                    for (int k = shape.length - 1; k >= 0 && ++idx[k] == shape[k]; k--) {
                        idx[k] = 0;
                    }
                }
                assertExact("copyStrided " + java.util.Arrays.deepToString(c), dt, expected, download(be, dst, n));
            }
        }));
    }

    @Test
    void unaryMatchesMath() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (UnaryOp op : UnaryOp.values()) {
                for (double p : params(op)) {
                    for (int n : sizesAndLarge()) {
                        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT
                                || (op == UnaryOp.POW_SCALAR && p != Math.rint(p));
                        double[] x = rounded(dt, positive ? random(new Random(n), n, 1e-3, 50)
                                : random(new Random(n), n, -20, 20));
                        double pr = dt == DType.F32 ? (float) p : p;
                        double[] expected = new double[n];
                        for (int i = 0; i < n; i++) {
                            expected[i] = reference(op, pr, x[i]);
                        }
                        Span xs = upload(be, dt, x);
                        Span out = zeros(be, dt, n);
                        be.unary(op, p, xs, out, n);
                        String what = op + "(" + p + ") " + dt + " n=" + n;
                        assertClose(what, expected, download(be, out, n), tolerance(dt), 1e-30);
                        be.unary(op, p, xs, xs, n); // in place
                        assertClose(what + " in place", expected, download(be, xs, n), tolerance(dt), 1e-30);
                    }
                }
            }
        }));
    }

    @Test
    void unarySpecialValuesFollowMath() {
        double[] specials = {0.0, -0.0, 1.0, -1.0, -2.5, 2.5, Double.NaN, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, 1e-30, -1e-30, 100, -100, 3, -3, 0.5, 7, -8, 1e30};
        backends().forEach(be -> dtypes().forEach(dt -> {
            double[] x = rounded(dt, specials);
            for (UnaryOp op : UnaryOp.values()) {
                for (double p : params(op)) {
                    double pr = dt == DType.F32 ? (float) p : p;
                    double[] expected = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        expected[i] = reference(op, pr, x[i]);
                    }
                    Span out = zeros(be, dt, x.length);
                    be.unary(op, p, upload(be, dt, x), out, x.length);
                    double[] got = download(be, out, x.length);
                    for (int i = 0; i < x.length; i++) {
                        double e = dt == DType.F32 ? (float) expected[i] : expected[i];
                        String what = op + "(" + x[i] + ", " + p + ") " + dt;
                        if (Double.isNaN(e) || Double.isInfinite(e) || e == 0) {
                            // equal, including NaN and the sign of zero
                            assertThat(Double.compare(got[i], e)).as(what + " = " + got[i]).isZero();
                        } else {
                            // results below the normal range keep only a few bits: allow that much absolutely
                            double floor = dt == DType.F32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
                            assertThat(Math.abs(got[i] - e)).as(what)
                                    .isLessThanOrEqualTo(tolerance(dt) * Math.abs(e) + floor);
                        }
                    }
                }
            }
        }));
    }

    private static double[] params(UnaryOp op) {
        return switch (op) {
            case POW_SCALAR -> new double[] {2, 3, 0.5, 1.5, -1, -0.5, 0};
            case ADD_SCALAR, MUL_SCALAR, MIN_SCALAR, MAX_SCALAR -> new double[] {0.1, -2.5};
            default -> new double[] {0};
        };
    }

    private static double reference(UnaryOp op, double p, double x) {
        return ScalarOps.unary(op, p, x);
    }

    // ---------------------------------------------------------------- binary

    /** An operand layout over a rows x cols grid, stored in a buffer of {@code size} elements. */
    private record Layout(String name, int size, int rowStride, int colStride) {
        static List<Layout> all(int rows, int cols) {
            return List.of(new Layout("dense", rows * cols, cols, 1),
                    new Layout("row", cols, 0, 1),
                    new Layout("column", rows, 1, 0),
                    new Layout("scalar", 1, 0, 0),
                    new Layout("transposed", rows * cols, 1, rows),
                    new Layout("padded", rows * (cols + 2), cols + 2, 1),
                    new Layout("every-other", 2 * rows * cols, 2 * cols, 2));
        }

        int index(int i, int j) {
            return i * rowStride + j * colStride;
        }
    }

    @Test
    void binaryMatchesScalarForEveryLayout() {
        int[][] grids = {{1, 1}, {1, 7}, {3, 7}, {5, 17}, {2, 33}, {7, 65}, {2, 127}, {3, 513}, {65, 3}};
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int[] g : grids) {
                int rows = g[0];
                int cols = g[1];
                for (Layout la : Layout.all(rows, cols)) {
                    for (Layout lb : Layout.all(rows, cols)) {
                        checkBinary(be, dt, rows, cols, la, lb, rows * 31 + cols);
                    }
                }
            }
        }));
    }

    @Test
    void binaryLargeGridsSplitAcrossThreads() {
        CpuBackend be = THREADED;
        dtypes().forEach(dt -> {
            for (int[] g : new int[][] {{1, LARGE}, {300, 1001}, {100_001, 3}}) {
                Layout dense = new Layout("dense", g[0] * g[1], g[1], 1);
                for (Layout la : Layout.all(g[0], g[1])) {
                    // one operation of each loop family, the non-commuting ones
                    checkBinary(be, dt, g[0], g[1], la, dense, 7, BinaryOp.SUB, BinaryOp.GREATER);
                    checkBinary(be, dt, g[0], g[1], dense, la, 8, BinaryOp.DIV);
                }
            }
        });
    }

    @Test
    void binaryInPlaceOnDenseOperand() {
        backends().forEach(be -> dtypes().forEach(dt -> {
            for (int n : SIZES) {
                Random rnd = new Random(n);
                double[] a = rounded(dt, gaussian(rnd, 2 * n));
                double[] b = rounded(dt, gaussian(rnd, n));
                Span as = upload(be, dt, a);
                be.binary(BinaryOp.SUB, 2, n, Operand.dense(as, n), Operand.row(upload(be, dt, b)), as);
                double[] expected = new double[2 * n];
                for (int k = 0; k < 2 * n; k++) {
                    expected[k] = a[k] - b[k % n];
                }
                assertExact("in-place sub", dt, expected, download(be, as, 2 * n));
            }
        }));
    }

    private static void checkBinary(CpuBackend be, DType dt, int rows, int cols, Layout la, Layout lb, long seed,
                                    BinaryOp... ops) {
        Random rnd = new Random(seed);
        double[] a = rounded(dt, gaussian(rnd, la.size()));
        double[] b = rounded(dt, gaussian(rnd, lb.size()));
        for (int k = 0; k < Math.min(a.length, b.length); k += 5) {
            a[k] = b[k]; // ties for GREATER, MAX and MIN
        }
        Span as = upload(be, dt, a);
        Span bs = upload(be, dt, b);
        for (BinaryOp op : ops.length == 0 ? BinaryOp.values() : ops) {
            Span out = zeros(be, dt, rows * cols);
            be.binary(op, rows, cols, new Operand(as, la.rowStride(), la.colStride()),
                    new Operand(bs, lb.rowStride(), lb.colStride()), out);
            double[] expected = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    double x = a[la.index(i, j)];
                    double y = b[lb.index(i, j)];
                    expected[i * cols + j] = switch (op) {
                        case ADD -> x + y;
                        case SUB -> x - y;
                        case MUL -> x * y;
                        case DIV -> x / y;
                        case MAX -> Math.max(x, y);
                        case MIN -> Math.min(x, y);
                        case GREATER -> x > y ? 1 : 0;
                    };
                }
            }
            assertExact(op + " " + dt + " " + rows + "x" + cols + " " + la.name() + "," + lb.name(), dt, expected,
                    download(be, out, rows * cols));
        }
    }
}
