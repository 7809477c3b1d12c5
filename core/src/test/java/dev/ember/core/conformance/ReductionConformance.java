package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.ScalarOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Backend#reduce} along every axis of 2-D and 3-D tensors, on dense and non-contiguous inputs.
 * Inputs are multiples of 1/8 in [-1, 1], so every sum (and sum of squares) here is exact in F32 and F64
 * whatever the summation order: the reference can be tight and a dropped element always shows. Ties are
 * frequent, so ARGMAX must return the first maximum.
 */
public interface ReductionConformance extends ConformanceBase {

    int[][] SHAPES = {
            {1, 1}, {1, 7}, {7, 1}, {33, 65}, {513, 17}, {3, 1031}, {2, 40_001}, {40_001, 3},
            {2, 3, 4}, {7, 17, 3}, {3, 65, 33}, {5, 1, 9}, {2, 513, 7}, {1, 1, 1}, {64, 3, 127},
    };

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (DType dt : DType.values()) {
                out.add(Arguments.of(op, dt));
            }
        }
        return out.stream();
    }

    /** Reduces axis {@code axis} of a logical row-major array. */
    static double[] reference(ReduceOp op, double[] x, int[] dims, int axis) {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= dims[i];
        }
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        int len = dims[axis];
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                out[o * inner + i] = ScalarOps.reduce(op, x, o * len * inner + i, len, inner);
            }
        }
        return out;
    }

    static Tensor apply(ReduceOp op, Tensor x, int axis) {
        return switch (op) {
            case SUM -> x.sum(axis);
            case MEAN -> x.mean(axis);
            case MAX -> x.max(axis);
            case MIN -> x.min(axis);
            case ARGMAX -> x.argmax(axis);
            case SUM_OF_SQUARES -> {
                // the tensor API exposes SUM_OF_SQUARES over all elements only; reach the axis form through the SPI
                Tensor dense = x.isContiguous() ? x : x.copy();
                int[] dims = x.shape().dims();
                int outer = 1, inner = 1;
                for (int i = 0; i < axis; i++) {
                    outer *= dims[i];
                }
                for (int i = axis + 1; i < dims.length; i++) {
                    inner *= dims[i];
                }
                int[] outDims = new int[dims.length - 1];
                for (int i = 0, j = 0; i < dims.length; i++) {
                    if (i != axis) {
                        outDims[j++] = dims[i];
                    }
                }
                Tensor out = Tensor.zeros(x.backend(), x.dtype(), outDims);
                x.backend().reduce(ReduceOp.SUM_OF_SQUARES, dense.span(), outer, dims[axis], inner, out.span());
                yield out;
            }
        };
    }

    static double tolerance(ReduceOp op, DType dt) {
        // sums are exact; MEAN adds one or two roundings
        return op == ReduceOp.MEAN ? (dt == DType.F32 ? 3e-7 : 1e-15) : 0;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ReductionConformance#cases")
    default void reduceEveryAxisOfDenseTensors(ReduceOp op, DType dt) {
        Backend be = backend();
        for (int[] dims : SHAPES) {
            int size = Arrays.stream(dims).reduce(1, (p, q) -> p * q);
            double[] x = Host.eighths(size + 7L * op.ordinal(), size, 1);
            for (int axis = 0; axis < dims.length; axis++) {
                try (Scope _ = Scope.open()) {
                    Tensor t = Host.tensor(be, dt, x, dims);
                    Tensor r = apply(op, t, axis);
                    int[] expectedDims = new int[dims.length - 1];
                    for (int i = 0, j = 0; i < dims.length; i++) {
                        if (i != axis) {
                            expectedDims[j++] = dims[i];
                        }
                    }
                    assertThat(r.shape().dims()).containsExactly(expectedDims);
                    Host.assertClose(op + " " + dt + " " + Arrays.toString(dims) + " axis " + axis,
                            reference(op, x, dims, axis), values(r), tolerance(op, dt), 0);
                }
            }
        }
    }

    /** Transposed (and sliced) views: the core densifies them with copyStrided before reducing. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ReductionConformance#cases")
    default void reduceNonContiguousViews(ReduceOp op, DType dt) {
        Backend be = backend();
        int[][] stored = {{65, 33}, {17, 513}, {4, 7, 17}, {3, 33, 5}};
        for (int[] sd : stored) {
            int size = Arrays.stream(sd).reduce(1, (p, q) -> p * q);
            double[] x = Host.eighths(size + 3L * op.ordinal(), size, 1);
            // logical = stored with the last two axes swapped
            int r = sd.length;
            int[] ld = sd.clone();
            ld[r - 2] = sd[r - 1];
            ld[r - 1] = sd[r - 2];
            int batch = size / (sd[r - 2] * sd[r - 1]);
            double[] logical = new double[size];
            int rows = sd[r - 2], cols = sd[r - 1];
            for (int bi = 0; bi < batch; bi++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        logical[bi * rows * cols + j * rows + i] = x[bi * rows * cols + i * cols + j];
                    }
                }
            }
            for (int axis = 0; axis < r; axis++) {
                try (Scope _ = Scope.open()) {
                    Tensor view = Host.tensor(be, dt, x, sd).transpose();
                    assertThat(view.isContiguous()).isFalse();
                    Host.assertClose(op + " " + dt + " transposed view " + Arrays.toString(ld) + " axis " + axis,
                            reference(op, logical, ld, axis), values(apply(op, view, axis)), tolerance(op, dt), 0);
                }
            }
        }
        // a row slice of a transposed view: non-contiguous and at an offset
        int rows = 40, cols = 9;
        double[] x = Host.eighths(99, rows * cols, 1);
        try (Scope _ = Scope.open()) {
            Tensor view = Host.tensor(be, dt, x, rows, cols).transpose().slice(2, 7); // [5, 40]
            double[] logical = new double[5 * rows];
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < rows; j++) {
                    logical[i * rows + j] = x[j * cols + i + 2];
                }
            }
            for (int axis = 0; axis < 2; axis++) {
                Host.assertClose(op + " " + dt + " sliced transposed view axis " + axis,
                        reference(op, logical, new int[] {5, rows}, axis), values(apply(op, view, axis)),
                        tolerance(op, dt), 0);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void reduceAllElementsAndKeepDims(DType dt) {
        Backend be = backend();
        for (int[] dims : new int[][] {{1}, {7}, {33, 65}, {3, 5, 7}, {100_003}}) {
            int size = Arrays.stream(dims).reduce(1, (p, q) -> p * q);
            double[] x = Host.eighths(size, size, 1);
            double sum = 0, sq = 0;
            for (double v : x) {
                sum += v;
                sq += v * v;
            }
            try (Scope _ = Scope.open()) {
                Tensor t = Host.tensor(be, dt, x, dims);
                String what = dt + " " + Arrays.toString(dims);
                Tensor total = t.sum();
                assertThat(total.rank()).isZero();
                assertThat(values(total)[0]).as("sum() " + what).isEqualTo(sum);
                assertThat(values(t.mean())[0]).as("mean() " + what)
                        .isCloseTo(sum / size, org.assertj.core.data.Offset.offset(1e-6 * Math.abs(sum / size) + 1e-12));
                assertThat(values(t.sumOfSquares())[0]).as("sumOfSquares() " + what).isEqualTo(sq);
                Tensor kept = t.sum(-1, true);
                int[] keptDims = dims.clone();
                keptDims[dims.length - 1] = 1;
                assertThat(kept.shape().dims()).containsExactly(keptDims);
                Host.assertExact("sum(-1, keepDims) " + what, reference(ReduceOp.SUM, x, dims, dims.length - 1),
                        values(kept));
                Tensor keptMean = t.mean(0, true);
                int[] meanDims = dims.clone();
                meanDims[0] = 1;
                assertThat(keptMean.shape().dims()).containsExactly(meanDims);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    default void argmaxReturnsTheFirstMaximumAndMaxHandlesNegatives(DType dt) {
        Backend be = backend();
        double[] x = {
                -3, -1, -1, -2,     // first max at 1
                5, 5, 5, 5,         // all equal: 0
                -7, -6, -5, -4.5,   // last
                2, 9, 1, 9,         // tie, first at 1
        };
        try (Scope _ = Scope.open()) {
            Tensor t = Host.tensor(be, dt, x, 4, 4);
            Host.assertExact("argmax(1) " + dt, new double[] {1, 0, 3, 1}, values(t.argmax(1)));
            Host.assertExact("max(1) " + dt, new double[] {-1, 5, -4.5, 9}, values(t.max(1)));
            Host.assertExact("min(1) " + dt, new double[] {-3, 5, -7, 1}, values(t.min(1)));
            Host.assertExact("argmax(0) " + dt, new double[] {1, 3, 1, 3}, values(t.argmax(0)));
            // indices above 2^16 are exact too
            int n = 70_001;
            double[] big = Host.filled(n, -1);
            big[n - 2] = 3;
            big[n - 1] = 3;
            Host.assertExact("argmax over " + n + " " + dt, new double[] {n - 2},
                    values(Host.tensor(be, dt, big, 1, n).argmax(1)));
        }
    }

    /** Input and output spans at offsets; nothing around the output is written. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void reduceSpiWithOffsets(DType dt) {
        Backend be = backend();
        int outer = 3, len = 65, inner = 5;
        double[] x = Host.eighths(5, outer * len * inner, 1);
        int[] dims = {outer, len, inner};
        for (ReduceOp op : ReduceOp.values()) {
            try (Scope _ = Scope.open()) {
                Tensor in = Host.padded(be, dt, x, 6, 2, Double.NaN);
                Tensor out = Host.padded(be, dt, new double[outer * inner], 3, 3, -99);
                be.reduce(op, at(in, 6), outer, len, inner, at(out, 3));
                String what = "reduce " + op + " " + dt + " at offsets";
                Host.assertClose(what, reference(op, x, dims, 1), Host.read(be, at(out, 3), outer * inner),
                        tolerance(op, dt), 0);
                Host.assertPaddingIntact(what, out, 3, outer * inner, -99);
            }
        }
    }

    /**
     * {@link Tensor#norm()} scales by the largest magnitude before squaring (BLAS nrm2): right where the
     * squares overflow (1e20 in F32, 1e160 in F64) or underflow, zero for zeros, infinite for an infinity.
     */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void normScalesBeforeSquaring(DType dt) {
        Backend be = backend();
        double big = dt == DType.F32 ? 1e20 : 1e160;
        double tiny = dt == DType.F32 ? 1e-30 : 1e-170;
        double tol = dt == DType.F32 ? 1e-6 : 1e-14;
        try (Scope _ = Scope.open()) {
            Tensor huge = Host.tensor(be, dt, new double[] {big, -big}, 2);
            assertThat(huge.norm().item() / (Math.sqrt(2) * big)).as("norm of [%s, -%s]", big, big)
                    .isCloseTo(1, org.assertj.core.api.Assertions.within(tol));
            Tensor small = Host.tensor(be, dt, new double[] {3 * tiny, 0, -4 * tiny, 0}, 2, 2);
            assertThat(small.transpose().norm().item() / (5 * tiny)).as("norm of a view of tiny values")
                    .isCloseTo(1, org.assertj.core.api.Assertions.within(tol));
            assertThat(Tensor.zeros(be, dt, 3).norm().item()).isZero();
            assertThat(Host.tensor(be, dt, new double[] {Double.POSITIVE_INFINITY, 1}, 2).norm().item())
                    .isEqualTo(Double.POSITIVE_INFINITY);
            Tensor third = Host.tensor(be, dt, new double[] {big}, 1, 1);
            assertThat(Tensor.norm(List.of(huge, third)).item() / (Math.sqrt(3) * big)).as("global norm")
                    .isCloseTo(1, org.assertj.core.api.Assertions.within(tol));
            Tensor plain = Host.tensor(be, dt, new double[] {3, 4, 12}, 3);
            assertThat(plain.norm().item()).isCloseTo(13, org.assertj.core.api.Assertions.within(13 * tol));
        }
    }
}
