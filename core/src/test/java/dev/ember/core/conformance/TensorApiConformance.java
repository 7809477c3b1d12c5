package dev.ember.core.conformance;

import dev.ember.core.Activations;
import dev.ember.core.BatchNorm;
import dev.ember.core.DType;
import dev.ember.core.LinearAlgebra;
import dev.ember.core.Scope;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.function.Consumer;

import static dev.ember.core.conformance.Host.at;
import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The tensor API on a real backend: bad input fails with messages that name the operation and the
 * offending shapes or values, views (transpose, reshape, slice) read the right elements, and the data
 * movement kernels ({@link Backend#fill}, {@link Backend#copyStrided}, {@link Backend#cast}) are exact.
 */
public interface TensorApiConformance extends ConformanceBase {

    // ------------------------------------------------------------------ errors

    @Test
    default void matmulShapeMismatchNamesTheOperationAndBothShapes() {
        Backend be = backend();
        Tensor a = Tensor.zeros(be, DType.F32, 64, 20);
        Tensor b = Tensor.zeros(be, DType.F32, 7, 1);
        assertThatThrownBy(() -> a.matmul(b))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matmul: inner dimensions differ")
                .hasMessageContaining(Shape.of(64, 20) + " x " + Shape.of(7, 1));
        assertThatThrownBy(() -> a.matmul(Tensor.zeros(be, DType.F32, 20)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("matmul").hasMessageContaining("rank 2").hasMessageContaining("[20]");
        Tensor c = Tensor.zeros(be, DType.F32, 64, 3);
        assertThatThrownBy(() -> LinearAlgebra.gemmInto(1, a, Tensor.zeros(be, DType.F32, 20, 4), 0, c))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gemm").hasMessageContaining("[64, 3]");
    }

    @Test
    default void biasActivationMismatchNamesTheOperationAndTheShapes() {
        Backend be = backend();
        try (Scope _ = Scope.open()) {
            Tensor x = Tensor.zeros(be, DType.F32, 8, 5);
            assertThatThrownBy(() -> Activations.biasActivationInto(Activation.RELU, 0, x,
                    Tensor.zeros(be, DType.F32, 4), x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("biasActivation").hasMessageContaining("[4]").hasMessageContaining("[8, 5]");
            assertThatThrownBy(() -> Activations.biasActivationInto(Activation.RELU, 0, x,
                    Tensor.zeros(be, DType.F32, 5), Tensor.zeros(be, DType.F32, 5, 8)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("biasActivation").hasMessageContaining("[5, 8]");
            assertThatThrownBy(() -> Activations.biasActivationInto(Activation.RELU, 0, x,
                    Tensor.zeros(be, DType.F64, 5), x))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("biasActivation");
        }
    }

    @Test
    default void elementwiseShapeMismatchNamesTheOperationAndBothShapes() {
        Backend be = backend();
        Tensor a = Tensor.zeros(be, DType.F64, 3, 4);
        Tensor b = Tensor.zeros(be, DType.F64, 5, 4);
        for (String op : new String[] {"add", "sub", "mul", "div", "maximum", "minimum", "greater"}) {
            assertThatThrownBy(() -> binary(op, a, b))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(op + ":")
                    .hasMessageContaining("[3, 4]")
                    .hasMessageContaining("[5, 4]");
        }
        assertThatThrownBy(() -> a.add(Tensor.zeros(be, DType.F64, 3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]").hasMessageContaining("[3]");
        assertThatThrownBy(() -> Tensor.zeros(be, DType.F64, 2, 3, 4).add(Tensor.zeros(be, DType.F64, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("add").hasMessageContaining("rank");
        assertThatThrownBy(() -> Activations.backward(Activation.RELU, 0, a, a, b))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reluBackward")
                .hasMessageContaining("[5, 4]");
    }

    private static Tensor binary(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "div" -> a.div(b);
            case "maximum" -> a.maximum(b);
            case "minimum" -> a.minimum(b);
            default -> a.greater(b);
        };
    }

    @Test
    default void zeroAndNegativeDimensionsAreRejected() {
        Backend be = backend();
        assertThatThrownBy(() -> Tensor.zeros(be, DType.F32, 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension 1").hasMessageContaining("got 0");
        assertThatThrownBy(() -> Tensor.zeros(be, DType.F64, -2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension 0").hasMessageContaining("got -2");
        assertThatThrownBy(() -> Tensor.full(be, DType.F32, 1, 4, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Tensor.of(be, new float[6], 2, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("of").hasMessageContaining("6 values").hasMessageContaining("[2, 4]");
        assertThatThrownBy(() -> Tensor.random(be, DType.F32, Distribution.UNIFORM, 0, 1, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    default void dtypeMismatchNamesTheOperationAndBothDtypes() {
        Backend be = backend();
        Tensor f = Tensor.zeros(be, DType.F32, 2, 2);
        Tensor d = Tensor.zeros(be, DType.F64, 2, 2);
        Consumer<Runnable> check = r -> assertThatThrownBy(r::run)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype mismatch").hasMessageContaining("F32").hasMessageContaining("F64");
        check.accept(() -> f.add(d));
        check.accept(() -> f.matmul(d));
        check.accept(() -> f.assign(d));
        check.accept(() -> Updates.sgd(f, d, 0.1));
        assertThatThrownBy(() -> d.mul(f)).hasMessageContaining("mul");
        assertThatThrownBy(() -> f.matmul(d)).hasMessageContaining("matmul");
    }

    @Test
    default void aClosedTensorCannotBeUsed() {
        Backend be = backend();
        Tensor t = Host.tensor(be, DType.F32, new double[] {1, 2, 3, 4}, 2, 2);
        Tensor other = Tensor.zeros(be, DType.F32, 2, 2);
        t.close();
        assertThat(t.isClosed()).isTrue();
        assertThat(t.toString()).contains("closed");
        Runnable[] uses = {
                () -> t.add(other), () -> other.add(t), () -> t.matmul(other), () -> other.matmul(t), t::toFloatArray,
                t::toDoubleArray, () -> t.reshape(4), t::transpose, () -> t.slice(0, 1), t::copy,
                () -> t.to(DType.F64), () -> t.sum(0), t::sum, t::relu, t::softmax, () -> t.mul(2.0), t::exp, t::span,
                () -> other.assign(t), () -> Updates.sgd(t, other, 0.1), () -> Updates.sgd(other, t, 0.1),
        };
        for (int i = 0; i < uses.length; i++) {
            Runnable use = uses[i];
            assertThatThrownBy(use::run).as("use #%d of a closed tensor", i)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        assertThat(values(other)).containsOnly(0.0);
        Tensor scalar = Tensor.zeros(be, DType.F64);
        scalar.close();
        assertThatThrownBy(scalar::item).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    default void viewAndAxisErrorsNameTheOperation() {
        Backend be = backend();
        Tensor t = Tensor.zeros(be, DType.F32, 4, 6);
        assertThatThrownBy(() -> t.reshape(5, 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reshape").hasMessageContaining("[4, 6]").hasMessageContaining("[5, 5]");
        assertThatThrownBy(() -> t.reshape(0, 24)).isInstanceOf(IllegalArgumentException.class);
        for (int[] r : new int[][] {{-1, 2}, {0, 5}, {3, 3}, {3, 2}, {4, 4}}) {
            assertThatThrownBy(() -> t.slice(r[0], r[1])).as("slice(%d, %d)", r[0], r[1])
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("slice").hasMessageContaining("[4, 6]");
        }
        assertThatThrownBy(() -> Tensor.zeros(be, DType.F32, 5).transpose())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transpose");
        assertThatThrownBy(() -> t.sum(2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum").hasMessageContaining("axis 2");
        assertThatThrownBy(() -> t.argmax(-3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argmax");
        assertThatThrownBy(t::item)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("item").hasMessageContaining("[4, 6]");
        assertThatThrownBy(() -> t.transpose().assign(Tensor.zeros(be, DType.F32, 6, 4)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("assign").hasMessageContaining("contiguous");
        assertThatThrownBy(() -> t.assign(Tensor.zeros(be, DType.F32, 6, 4)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assign").hasMessageContaining("[6, 4]");
    }

    @Test
    default void badConfigurationFailsBeforeAnyWork() {
        Backend be = backend();
        Tensor p = Tensor.zeros(be, DType.F32, 3);
        Tensor g = Tensor.full(be, DType.F32, 1, 3);
        assertThatThrownBy(() -> Updates.sgd(p, g, 0)).hasMessageContaining("sgd").hasMessageContaining("learning rate");
        assertThatThrownBy(() -> Updates.sgd(p, g, -1)).hasMessageContaining("learning rate");
        assertThatThrownBy(() -> Updates.momentum(p, g, Tensor.zeros(be, DType.F32, 3), 0.1, 1.0))
                .hasMessageContaining("momentum").hasMessageContaining("beta");
        assertThatThrownBy(() -> Updates.adam(p, g, Tensor.zeros(be, DType.F32, 3), Tensor.zeros(be, DType.F32, 3),
                0.1, 0.9, 0.999, 1e-8, 0, 0)).hasMessageContaining("adam").hasMessageContaining("step");
        assertThatThrownBy(() -> Updates.sgd(p, Tensor.zeros(be, DType.F32, 4), 0.1))
                .hasMessageContaining("sgd").hasMessageContaining("[4]");
        assertThat(values(p)).as("nothing was updated").containsOnly(0.0);
        for (double keep : new double[] {0, -0.5, 1.5}) {
            assertThatThrownBy(() -> Tensor.random(be, DType.F32, Distribution.BERNOULLI, keep, 1, 1, 1, 4))
                    .hasMessageContaining("keep-probability").hasMessageContaining(String.valueOf(keep));
        }
        assertThatThrownBy(() -> Tensor.random(be, DType.F32, Distribution.UNIFORM, 1, 1, 1, 1, 4))
                .hasMessageContaining("uniform");
        assertThatThrownBy(() -> Tensor.random(be, DType.F32, Distribution.NORMAL, 0, -1, 1, 1, 4))
                .hasMessageContaining("standard deviation");
        assertThatThrownBy(() -> p.mul(Double.NaN)).hasMessageContaining("mul").hasMessageContaining("finite");
        Tensor x = Tensor.zeros(be, DType.F32, 4, 3);
        assertThatThrownBy(() -> BatchNorm.training(x, Tensor.zeros(be, DType.F32, 4), Tensor.zeros(be, DType.F32, 3),
                Tensor.zeros(be, DType.F32, 3), Tensor.zeros(be, DType.F32, 3), 1e-5, 0.9))
                .hasMessageContaining("batchNorm").hasMessageContaining("[3]").hasMessageContaining("[4]");
        assertThatThrownBy(() -> BatchNorm.training(x, p, p, p, p, 0, 0.9)).hasMessageContaining("eps");
        assertThatThrownBy(() -> BatchNorm.training(x, p, p, p, p, 1e-5, 1)).hasMessageContaining("momentum");
    }

    // ------------------------------------------------------------------ views

    @ParameterizedTest
    @EnumSource(DType.class)
    default void transposeReshapeAndSliceViewTheRightElements(DType dt) {
        Backend be = backend();
        int r = 5, c = 7;
        double[] x = new double[r * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        Tensor t = Host.tensor(be, dt, x, r, c);
        Tensor tt = t.transpose();
        assertThat(tt.shape().dims()).containsExactly(c, r);
        assertThat(tt.isContiguous()).isFalse();
        Host.assertExact("transpose " + dt, GemmConformance.transposed(x, r, c), values(tt));
        Host.assertExact("transpose twice " + dt, x, values(tt.transpose()));
        Host.assertExact("reshape " + dt, x, values(t.reshape(7, 5)));
        assertThat(t.reshape(35).shape().dims()).containsExactly(35);
        // slices: rows 1..4, then rows 1..3 of that
        Tensor s = t.slice(1, 4);
        assertThat(s.shape().dims()).containsExactly(3, c);
        Host.assertExact("slice " + dt, Arrays.copyOfRange(x, c, 4 * c), values(s));
        Host.assertExact("slice of slice " + dt, Arrays.copyOfRange(x, 2 * c, 4 * c), values(s.slice(1, 3)));
        // a slice of a transpose is a non-contiguous window; reshape copies it
        Tensor st = tt.slice(2, 5); // columns 2..4 of t, as rows
        double[] expected = new double[3 * r];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < r; j++) {
                expected[i * r + j] = x[j * c + i + 2];
            }
        }
        Host.assertExact("slice of transpose " + dt, expected, values(st));
        Host.assertExact("reshape of non-contiguous " + dt, expected, values(st.reshape(15)));
        Host.assertExact("copy of non-contiguous " + dt, expected, values(st.copy()));
        assertThat(st.copy().isContiguous()).isTrue();
        // rank 3 transpose swaps the last two axes
        double[] x3 = new double[2 * 3 * 4];
        for (int i = 0; i < x3.length; i++) {
            x3[i] = i;
        }
        Tensor t3 = Host.tensor(be, dt, x3, 2, 3, 4).transpose();
        assertThat(t3.shape().dims()).containsExactly(2, 4, 3);
        double[] e3 = new double[24];
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 3; j++) {
                    e3[b * 12 + i * 3 + j] = x3[b * 12 + j * 4 + i];
                }
            }
        }
        Host.assertExact("rank-3 transpose " + dt, e3, values(t3));
        // assign copies a view into a contiguous tensor, in place
        Tensor target = Tensor.zeros(be, dt, c, r);
        Span before = target.span();
        target.assign(tt);
        assertThat(target.span()).isEqualTo(before);
        Host.assertExact("assign " + dt, GemmConformance.transposed(x, r, c), values(target));
        Host.assertExact("views leave the base alone " + dt, x, values(t));
    }

    @Test
    default void toDTypeRoundTripsAndRoundsToNearest() {
        Backend be = backend();
        double[] exact = {0, -0.0, 1, -2.5, 1024.125, 3.0e38, -1.1754944e-38, 0.1f, 65504};
        double[] exactF32 = Host.round(DType.F32, exact);
        Tensor f = Host.tensor(be, DType.F32, exactF32, exactF32.length);
        Tensor d = f.to(DType.F64);
        assertThat(d.dtype()).isEqualTo(DType.F64);
        Host.assertExact("F32 -> F64", exactF32, values(d));
        Host.assertExact("F32 -> F64 -> F32", exactF32, values(d.to(DType.F32)));
        // rounding to nearest (ties to even), not truncation
        double[] inexact = {0.1, 1.0 / 3, -2.0 / 3, 1 + Math.ulp(1f) * 0.75, 1 + Math.ulp(1f) * 0.25,
                1 + Math.ulp(1f) * 0.5, 1 + Math.ulp(1f) * 1.5, 123456.789, -9.87654321e-5, Math.PI, 1e30};
        Tensor g = Host.tensor(be, DType.F64, inexact, inexact.length);
        Tensor narrowed = g.to(DType.F32);
        assertThat(narrowed.dtype()).isEqualTo(DType.F32);
        Host.assertExact("F64 -> F32 rounds to nearest even", Host.round(DType.F32, inexact), values(narrowed));
        Host.assertExact("same dtype is a copy", inexact, values(g.to(DType.F64)));
        assertThat(g.to(DType.F64).span().buffer()).isNotSameAs(g.span().buffer());
        // host conversions
        float[] fa = g.toFloatArray();
        for (int i = 0; i < inexact.length; i++) {
            assertThat(fa[i]).isEqualTo((float) inexact[i]);
        }
        assertThat(narrowed.toDoubleArray()).containsExactly(Host.round(DType.F32, inexact));
        // a non-contiguous view converts in logical order
        double[] m = {1, 2, 3, 4, 5, 6};
        Host.assertExact("to(F32) of a transposed view", new double[] {1, 4, 2, 5, 3, 6},
                values(Host.tensor(be, DType.F64, m, 2, 3).transpose().to(DType.F32)));
        Tensor copyHere = Host.tensor(be, DType.F32, m, 3, 2).to(be);
        Host.assertExact("to(backend)", m, values(copyHere));
    }

    @Test
    default void itemReadsTheSingleElement() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            assertThat(Host.tensor(be, dt, new double[] {-2.5}).item()).isEqualTo(-2.5);
            assertThat(Host.tensor(be, dt, new double[] {7.25}, 1, 1).item()).isEqualTo(7.25);
            assertThat(Host.tensor(be, dt, new double[] {1, 2, 3, 4.5}, 4).sum().item()).isEqualTo(10.5);
            assertThat(Tensor.full(be, dt, 3.5, 2, 2).mean().item()).isEqualTo(3.5);
            assertThat(Tensor.zeros(be, dt).rank()).isZero();
        }
    }

    // ------------------------------------------------------------------ data movement SPI

    @ParameterizedTest
    @EnumSource(DType.class)
    default void fillWritesExactlyItsRange(DType dt) {
        Backend be = backend();
        for (int n : new int[] {1, 5, 64, 1031, 70_001}) {
            Tensor t = Host.padded(be, dt, new double[n], 3, 2, -1);
            be.fill(at(t, 3), n, 2.75);
            Host.assertExact("fill " + dt + " n=" + n, Host.filled(n, 2.75), Host.read(be, at(t, 3), n));
            Host.assertPaddingIntact("fill " + dt, t, 3, n, -1);
        }
        Tensor full = Tensor.full(be, dt, -0.1, 3, 3);
        Host.assertExact("Tensor.full " + dt, Host.filled(9, Host.round(dt, -0.1)), values(full));
    }

    /** Gathers with permuted, padded and zero strides, at offsets, up to rank 4 and down to a scalar. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void copyStridedGathersAnyLayout(DType dt) {
        Backend be = backend();
        double[] src = Host.uniform(dt, 4, 400, -10, 10);
        int[][][] cases = {
                // {shape, strides, {offset}}
                {{2, 3, 4}, {12, 4, 1}, {0}},
                {{2, 3, 4}, {1, 2, 6}, {5}},      // column-major-like
                {{3, 4}, {0, 1}, {7}},            // broadcast rows
                {{3, 4}, {1, 0}, {2}},            // broadcast columns
                {{5}, {0}, {9}},                  // one element repeated
                {{4, 5}, {13, 2}, {3}},           // padded rows, every other column
                {{2, 3, 2, 5}, {90, 3, 45, 9}, {1}},
                {{}, {}, {17}},                   // scalar
                {{1, 1, 1}, {0, 0, 0}, {11}},
                {{1031}, {1}, {0}},
        };
        for (int[][] cse : cases) {
            int[] shape = cse[0], strides = cse[1];
            int offset = cse[2][0];
            int n = Arrays.stream(shape).reduce(1, (p, q) -> p * q);
            double[] source = n == 1031 ? Host.uniform(dt, 5, 1031, -1, 1) : src;
            double[] expected = new double[n];
            int[] idx = new int[shape.length];
            for (int e = 0; e < n; e++) {
                int rem = e;
                int pos = offset;
                for (int k = shape.length - 1; k >= 0; k--) {
                    idx[k] = rem % shape[k];
                    rem /= shape[k];
                    pos += idx[k] * strides[k];
                }
                expected[e] = source[pos];
            }
            Tensor in = Host.tensor(be, dt, source, source.length);
            Tensor out = Host.padded(be, dt, new double[n], 2, 2, -3);
            be.copyStrided(at(in, offset), shape, strides, at(out, 2));
            String what = "copyStrided " + dt + " shape " + Arrays.toString(shape) + " strides " + Arrays.toString(strides)
                    + " offset " + offset;
            Host.assertExact(what, expected, Host.read(be, at(out, 2), n));
            Host.assertPaddingIntact(what, out, 2, n, -3);
        }
    }

    @Test
    default void castConvertsBetweenDtypesAtOffsets() {
        Backend be = backend();
        double[] values = {0.1, -1.0 / 3, 2.5, 1e-3, -65504.0001, 16777217, 0};
        int n = values.length;
        Tensor d = Host.padded(be, DType.F64, values, 2, 1, Double.NaN);
        Tensor f = Host.padded(be, DType.F32, new double[n], 3, 2, -9);
        be.cast(at(d, 2), at(f, 3), n);
        Host.assertExact("cast F64 -> F32", Host.round(DType.F32, values), Host.read(be, at(f, 3), n));
        Host.assertPaddingIntact("cast F64 -> F32", f, 3, n, -9);
        Tensor back = Host.padded(be, DType.F64, new double[n], 1, 1, -9);
        be.cast(at(f, 3), at(back, 1), n);
        Host.assertExact("cast F32 -> F64", Host.round(DType.F32, values), Host.read(be, at(back, 1), n));
        Host.assertPaddingIntact("cast F32 -> F64", back, 1, n, -9);
        for (DType dt : DType.values()) {
            Tensor a = Host.tensor(be, dt, values, n);
            Tensor b = Host.padded(be, dt, new double[n], 4, 1, -9);
            be.cast(a.span(), at(b, 4), n);
            Host.assertExact("cast " + dt + " -> " + dt + " copies", Host.round(dt, values), Host.read(be, at(b, 4), n));
        }
        int big = 70_001;
        double[] many = Host.uniform(DType.F64, 6, big, -1e6, 1e6);
        Tensor src = Host.tensor(be, DType.F64, many, big);
        Tensor dst = Tensor.zeros(be, DType.F32, big);
        be.cast(src.span(), dst.span(), big);
        Host.assertExact("cast F64 -> F32 n=" + big, Host.round(DType.F32, many), values(dst));
    }
}
