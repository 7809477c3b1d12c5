package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Philox;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.ScalarOps;
import dev.ember.core.spi.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static dev.ember.opencl.OpenClTestSupport.assertClose;
import static dev.ember.opencl.OpenClTestSupport.backend;
import static dev.ember.opencl.OpenClTestSupport.download;
import static dev.ember.opencl.OpenClTestSupport.free;
import static dev.ember.opencl.OpenClTestSupport.randoms;
import static dev.ember.opencl.OpenClTestSupport.rounded;
import static dev.ember.opencl.OpenClTestSupport.tol;
import static dev.ember.opencl.OpenClTestSupport.upload;
import static org.assertj.core.api.Assertions.assertThat;

/** Every non-GEMM kernel against a double reference, in F32 and F64. */
class OpenClKernelsTest {
    private final Random rnd = new Random(42);

    @ParameterizedTest
    @EnumSource(DType.class)
    void fillAndCopyStrided(DType dtype) {
        Backend b = backend();
        Span out = Span.of(b.allocate(dtype, 10));
        assertThat(download(b, out, 10)).containsOnly(0.0); // zero-filled on allocation
        b.fill(new Span(out.buffer(), 2), 5, 1.5);
        assertThat(download(b, out, 10)).containsExactly(0, 0, 1.5, 1.5, 1.5, 1.5, 1.5, 0, 0, 0);
        free(b, out);

        // a transposed 3x4 view of a 4x3 matrix, starting one element in
        double[] src = new double[13];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        Span s = upload(b, dtype, src);
        Span d = Span.of(b.allocate(dtype, 12));
        b.copyStrided(new Span(s.buffer(), 1), new int[] {3, 4}, new int[] {1, 3}, d);
        double[] expected = new double[12];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                expected[i * 4 + j] = 1 + i + j * 3;
            }
        }
        assertThat(download(b, d, 12)).containsExactly(expected);
        // broadcast (stride 0) and unit axes
        b.copyStrided(new Span(s.buffer(), 5), new int[] {1, 3, 1, 4}, new int[] {7, 0, 9, 1}, d);
        assertThat(download(b, d, 12)).containsExactly(5, 6, 7, 8, 5, 6, 7, 8, 5, 6, 7, 8);
        free(b, s, d);
    }

    @Test
    void copyStridedAboveKernelRank() {
        Backend b = backend();
        // rank 8 with permuted strides: nothing merges, so the host must split the launch
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 3};
        int[] contiguous = new int[8];
        int size = 1;
        for (int k = 7; k >= 0; k--) {
            contiguous[k] = size;
            size *= shape[k];
        }
        int[] perm = {7, 6, 5, 4, 3, 2, 1, 0};
        int[] pShape = new int[8];
        int[] pStrides = new int[8];
        for (int k = 0; k < 8; k++) {
            pShape[k] = shape[perm[k]];
            pStrides[k] = contiguous[perm[k]];
        }
        double[] src = new double[size];
        for (int i = 0; i < size; i++) {
            src[i] = i;
        }
        Span s = upload(b, DType.F64, src);
        Span d = Span.of(b.allocate(DType.F64, size));
        b.copyStrided(s, pShape, pStrides, d);
        double[] expected = new double[size];
        int[] idx = new int[8];
        for (int i = 0; i < size; i++) {
            int at = 0;
            for (int k = 0; k < 8; k++) {
                at += idx[k] * pStrides[k];
            }
            expected[i] = at;
            for (int k = 7; k >= 0 && ++idx[k] == pShape[k]; k--) {
                idx[k] = 0;
            }
        }
        assertThat(download(b, d, size)).containsExactly(expected);
        free(b, s, d);
    }

    @Test
    void castBothWays() {
        Backend b = backend();
        double[] v = {1.0 / 3, -2.5, 1e-40, 3e38};
        Span d = upload(b, DType.F64, v);
        Span f = Span.of(b.allocate(DType.F32, 4));
        b.cast(d, f, 4);
        float[] got = new float[4];
        b.read(f, got, 0, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(got[i]).isEqualTo((float) v[i]);
        }
        Span back = Span.of(b.allocate(DType.F64, 4));
        b.cast(f, back, 4);
        double[] round = download(b, back, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(round[i]).isEqualTo((double) (float) v[i]);
        }
        free(b, d, f, back);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryOps(DType dtype) {
        Backend b = backend();
        double[] x = rounded(dtype, randoms(rnd, 1000, 3));
        double[] pos = rounded(dtype, new double[1000]);
        for (int i = 0; i < pos.length; i++) {
            pos[i] = rounded(dtype, new double[] {0.01 + Math.abs(x[i])})[0];
        }
        double p = 0.75;
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT
                    || op == UnaryOp.POW_SCALAR || op == UnaryOp.RECIPROCAL;
            double[] in = positive ? pos : x;
            DoubleUnaryOperator f = v -> ScalarOps.unary(op, p, v);
            Span s = upload(b, dtype, in);
            b.unary(op, p, s, s, in.length); // in place
            double[] expected = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                expected[i] = f.applyAsDouble(in[i]);
            }
            assertClose(op + " " + dtype, expected, download(b, s, in.length), 4 * tol(dtype));
            free(b, s);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryWithBroadcasting(DType dtype) {
        Backend b = backend();
        int rows = 37;
        int cols = 19;
        double[] a = rounded(dtype, randoms(rnd, rows * cols, 2));
        double[] row = rounded(dtype, randoms(rnd, cols, 2));
        double[] col = rounded(dtype, randoms(rnd, rows, 2));
        Span sa = upload(b, dtype, a);
        Span sr = upload(b, dtype, row);
        Span sc = upload(b, dtype, col);
        Span out = Span.of(b.allocate(dtype, rows * cols));
        for (BinaryOp op : BinaryOp.values()) {
            DoubleBinaryOperator f = switch (op) {
                case ADD -> Double::sum;
                case SUB -> (x, y) -> x - y;
                case MUL -> (x, y) -> x * y;
                case DIV -> (x, y) -> x / y;
                case MAX -> Math::max;
                case MIN -> Math::min;
                case GREATER -> (x, y) -> x > y ? 1 : 0;
            };
            // dense op row-vector
            b.binary(op, rows, cols, Operand.dense(sa, cols), Operand.row(sr), out);
            double[] expected = new double[rows * cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    expected[i * cols + j] = f.applyAsDouble(a[i * cols + j], row[j]);
                }
            }
            assertClose(op + " row " + dtype, expected, download(b, out, rows * cols), tol(dtype));
            // column-vector op transposed view of... a (read as cols x rows would need a square): use column vs scalar
            b.binary(op, rows, cols, Operand.column(sc), Operand.scalar(new Span(sr.buffer(), 3)), out);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    expected[i * cols + j] = f.applyAsDouble(col[i], row[3]);
                }
            }
            assertClose(op + " column/scalar " + dtype, expected, download(b, out, rows * cols), tol(dtype));
        }
        free(b, sa, sr, sc, out);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductions(DType dtype) {
        Backend b = backend();
        int[][] shapes = {{1, 1, 1}, {1, 100000, 1}, {3, 5, 7}, {8, 300, 1}, {1, 300, 40}, {5000, 3, 1},
            {2, 1000, 3}, {1, 63, 1}, {1, 64, 1}, {100, 1, 5}};
        for (int[] shape : shapes) {
            int outer = shape[0];
            int len = shape[1];
            int inner = shape[2];
            double[] x = rounded(dtype, randoms(rnd, outer * len * inner, 10));
            if (len > 10) {
                x[(outer * len * inner) / 2] = 100; // a clear maximum
            }
            Span sx = upload(b, dtype, x);
            Span out = Span.of(b.allocate(dtype, outer * inner));
            for (ReduceOp op : ReduceOp.values()) {
                b.reduce(op, sx, outer, len, inner, out);
                double[] expected = new double[outer * inner];
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        expected[o * inner + i] = ScalarOps.reduce(op, x, o * len * inner + i, len, inner);
                    }
                }
                assertClose(op + " " + dtype + " [" + outer + "," + len + "," + inner + "]", expected,
                        download(b, out, outer * inner), 4 * tol(dtype));
            }
            free(b, sx, out);
        }
    }

    @Test
    void argmaxTakesTheFirstMaximum() {
        Backend b = backend();
        double[] x = new double[1000];
        x[10] = 5;
        x[500] = 5;
        x[999] = 5;
        Span s = upload(b, DType.F32, x);
        Span out = Span.of(b.allocate(DType.F32, 1));
        b.reduce(ReduceOp.ARGMAX, s, 1, 1000, 1, out);
        assertThat(download(b, out, 1)).containsExactly(10);
        b.reduce(ReduceOp.ARGMAX, s, 1, 5, 1, out); // all equal: index 0
        assertThat(download(b, out, 1)).containsExactly(0);
        free(b, s, out);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void activations(DType dtype) {
        Backend b = backend();
        double alpha = 0.1;
        double[] x = rounded(dtype, randoms(rnd, 777, 6));
        x[0] = 1e4;
        x[1] = -1e4;
        x[2] = 0;
        double[] dy = rounded(dtype, randoms(rnd, 777, 1));
        for (Activation act : Activation.values()) {
            Span sx = upload(b, dtype, x);
            Span sy = Span.of(b.allocate(dtype, x.length));
            b.activation(act, alpha, sx, sy, x.length);
            double[] y = download(b, sy, x.length);
            double[] ey = new double[x.length];
            double[] edx = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                double v = x[i];
                ey[i] = switch (act) {
                    case RELU -> Math.max(0, v);
                    case LEAKY_RELU -> v > 0 ? v : alpha * v;
                    case SIGMOID -> 1 / (1 + Math.exp(-v));
                    case TANH -> Math.tanh(v);
                };
                edx[i] = switch (act) {
                    case RELU -> v > 0 ? dy[i] : 0;
                    case LEAKY_RELU -> v > 0 ? dy[i] : alpha * dy[i];
                    case SIGMOID -> dy[i] * y[i] * (1 - y[i]);
                    case TANH -> dy[i] * (1 - y[i] * y[i]);
                };
            }
            assertClose(act + " " + dtype, ey, y, 4 * tol(dtype));
            Span sdy = upload(b, dtype, dy);
            b.activationBackward(act, alpha, sx, sy, sdy, sdy, x.length); // dx aliases dy
            assertClose(act + " backward " + dtype, edx, download(b, sdy, x.length), 8 * tol(dtype));
            free(b, sx, sy, sdy);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxStableAndGradients(DType dtype) {
        Backend b = backend();
        int[][] shapes = {{1, 1}, {3, 10}, {64, 10}, {2, 1000}, {5, 257}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            double[] x = rounded(dtype, randoms(rnd, rows * cols, 5));
            x[0] = 1e4;
            if (x.length > 2) {
                x[x.length - 1] = -1e4;
                x[x.length / 2] = 1e4 - 3;
            }
            double[] dy = rounded(dtype, randoms(rnd, rows * cols, 1));
            for (boolean log : new boolean[] {false, true}) {
                Span sx = upload(b, dtype, x);
                b.softmax(log, sx, sx, rows, cols); // y aliases x
                double[] y = download(b, sx, rows * cols);
                double[] ey = new double[rows * cols];
                double[] edx = new double[rows * cols];
                for (int r = 0; r < rows; r++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < cols; j++) {
                        m = Math.max(m, x[r * cols + j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < cols; j++) {
                        sum += Math.exp(x[r * cols + j] - m);
                    }
                    double dot = 0;
                    for (int j = 0; j < cols; j++) {
                        int at = r * cols + j;
                        ey[at] = log ? x[at] - m - Math.log(sum) : Math.exp(x[at] - m) / sum;
                        dot += log ? dy[at] : dy[at] * y[at];
                    }
                    for (int j = 0; j < cols; j++) {
                        int at = r * cols + j;
                        edx[at] = log ? dy[at] - Math.exp(y[at]) * dot : y[at] * (dy[at] - dot);
                    }
                }
                for (double v : y) {
                    assertThat(Double.isFinite(v)).as("softmax output finite").isTrue();
                }
                assertClose((log ? "log-softmax " : "softmax ") + dtype, ey, y, 8 * tol(dtype));
                Span sdy = upload(b, dtype, dy);
                b.softmaxBackward(log, sx, sdy, sdy, rows, cols);
                assertClose((log ? "log-softmax" : "softmax") + " backward " + dtype, edx,
                        download(b, sdy, rows * cols), 8 * tol(dtype));
                free(b, sx, sdy);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNorm(DType dtype) {
        Backend b = backend();
        int[][] shapes = {{1, 3}, {7, 5}, {128, 33}, {1000, 2}};
        for (int[] shape : shapes) {
            int rows = shape[0];
            int cols = shape[1];
            double eps = 1e-5;
            double momentum = 0.9;
            double[] x = rounded(dtype, randoms(rnd, rows * cols, 3));
            for (int i = 0; i < x.length; i++) {
                x[i] = rounded(dtype, new double[] {x[i] + 50})[0]; // an offset that punishes one-pass variance
            }
            double[] gamma = rounded(dtype, randoms(rnd, cols, 2));
            double[] beta = rounded(dtype, randoms(rnd, cols, 2));
            double[] rm = rounded(dtype, randoms(rnd, cols, 1));
            double[] rv = rounded(dtype, randoms(rnd, cols, 1));
            for (int c = 0; c < cols; c++) {
                rv[c] = Math.abs(rv[c]) + 0.5;
            }
            double[] dy = rounded(dtype, randoms(rnd, rows * cols, 1));
            Span sx = upload(b, dtype, x);
            Span sg = upload(b, dtype, gamma);
            Span sb = upload(b, dtype, beta);
            Span srm = upload(b, dtype, rm);
            Span srv = upload(b, dtype, rv);
            Span sy = Span.of(b.allocate(dtype, rows * cols));
            Span mean = Span.of(b.allocate(dtype, cols));
            Span inv = Span.of(b.allocate(dtype, cols));
            b.batchNormTraining(rows, cols, sx, sg, sb, eps, momentum, srm, srv, sy, mean, inv);

            double[] em = new double[cols];
            double[] ev = new double[cols];
            double[] ei = new double[cols];
            double[] ey = new double[rows * cols];
            double[] erm = new double[cols];
            double[] erv = new double[cols];
            double[] edx = new double[rows * cols];
            double[] edg = new double[cols];
            double[] edb = new double[cols];
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    em[c] += x[r * cols + c];
                }
                em[c] /= rows;
                for (int r = 0; r < rows; r++) {
                    double d = x[r * cols + c] - em[c];
                    ev[c] += d * d;
                }
                ev[c] /= rows;
                ei[c] = 1 / Math.sqrt(ev[c] + eps);
                erm[c] = momentum * rm[c] + (1 - momentum) * em[c];
                erv[c] = momentum * rv[c] + (1 - momentum) * ev[c];
                for (int r = 0; r < rows; r++) {
                    int at = r * cols + c;
                    double xhat = (x[at] - em[c]) * ei[c];
                    ey[at] = gamma[c] * xhat + beta[c];
                    edb[c] += dy[at];
                    edg[c] += dy[at] * xhat;
                }
                for (int r = 0; r < rows; r++) {
                    int at = r * cols + c;
                    double xhat = (x[at] - em[c]) * ei[c];
                    edx[at] = gamma[c] * ei[c] / rows * (rows * dy[at] - edb[c] - xhat * edg[c]);
                }
            }
            double t = dtype == DType.F32 ? 2e-3 : 1e-9; // 1/std of ~1 over an offset of 50 amplifies F32 rounding
            String what = dtype + " [" + rows + "," + cols + "]";
            assertClose("bn mean " + what, em, download(b, mean, cols), t);
            assertClose("bn invStd " + what, ei, download(b, inv, cols), t);
            assertClose("bn y " + what, ey, download(b, sy, rows * cols), t);
            assertClose("bn running mean " + what, erm, download(b, srm, cols), t);
            assertClose("bn running var " + what, erv, download(b, srv, cols), t);

            Span sdy = upload(b, dtype, dy);
            Span dx = Span.of(b.allocate(dtype, rows * cols));
            Span dg = Span.of(b.allocate(dtype, cols));
            Span db = Span.of(b.allocate(dtype, cols));
            b.batchNormBackward(rows, cols, sx, sdy, sg, mean, inv, dx, dg, db);
            assertClose("bn dbeta " + what, edb, download(b, db, cols), t);
            assertClose("bn dgamma " + what, edg, download(b, dg, cols), t);
            assertClose("bn dx " + what, edx, download(b, dx, rows * cols), t);

            b.batchNormInference(rows, cols, sx, sg, sb, srm, srv, eps, sy);
            double[] inf = new double[rows * cols];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int at = r * cols + c;
                    inf[at] = gamma[c] * (x[at] - erm[c]) / Math.sqrt(erv[c] + eps) + beta[c];
                }
            }
            assertClose("bn inference " + what, inf, download(b, sy, rows * cols), t);
            free(b, sx, sg, sb, srm, srv, sy, mean, inv, sdy, dx, dg, db);
        }
    }

    @Test
    void philoxWordsMatchTheReferenceBitForBit() {
        Backend b = backend();
        long seed = 0x0123456789ABCDEFL;
        long stream = 0xFEDCBA9876543210L;
        int n = 4099;
        Span s = Span.of(b.allocate(DType.F64, n + 3));
        b.random(Distribution.UNIFORM, 0, 1, seed, stream, new Span(s.buffer(), 3), n);
        double[] got = download(b, s, n + 3);
        assertThat(got[0]).isZero(); // nothing before the span's offset is touched
        for (int i = 0; i < n; i++) {
            // u = ((w >>> 9) + 0.5) / 2^23 exactly, so the top 23 bits of the word are recoverable
            long top = (long) (got[3 + i] * (1 << 23) - 0.5);
            assertThat(top).as("word %d", i).isEqualTo(Integer.toUnsignedLong(Philox.word(seed, stream, i)) >>> 9);
            assertThat(got[3 + i]).isEqualTo(Philox.uniform(Philox.word(seed, stream, i)));
        }
        free(b, s);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void randomDistributionsMatchTheReference(DType dtype) {
        Backend b = backend();
        long seed = 7;
        long stream = 3;
        int n = 10001;
        Span s = Span.of(b.allocate(dtype, n));
        b.random(Distribution.UNIFORM, -2, 3, seed, stream, s, n);
        double[] u = download(b, s, n);
        b.random(Distribution.NORMAL, 1, 2, seed, stream, s, n);
        double[] z = download(b, s, n);
        b.random(Distribution.BERNOULLI, 0.3, 1 / 0.3, seed, stream, s, n);
        double[] mask = download(b, s, n);
        double[] eu = new double[n];
        double[] ez = new double[n];
        for (int i = 0; i < n; i++) {
            double w = Philox.uniform(Philox.word(seed, stream, i));
            eu[i] = -2 + 5 * w;
            ez[i] = 1 + 2 * Philox.normal(seed, stream, i);
            double keep = w < 0.3 ? (dtype == DType.F32 ? (float) (1 / 0.3) : 1 / 0.3) : 0;
            assertThat(mask[i]).as("mask %d", i).isEqualTo(keep); // masks are exact
        }
        assertClose("uniform " + dtype, eu, u, 4 * tol(dtype));
        assertClose("normal " + dtype, ez, z, dtype == DType.F32 ? 2e-6 : 1e-12);
        free(b, s);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void optimiserUpdates(DType dtype) {
        Backend b = backend();
        int n = 1003;
        double[] p = rounded(dtype, randoms(rnd, n, 1));
        double[] g = rounded(dtype, randoms(rnd, n, 1));
        double[] s1 = rounded(dtype, randoms(rnd, n, 1));
        double[] s2 = rounded(dtype, randoms(rnd, n, 1));
        for (int i = 0; i < n; i++) {
            s2[i] = Math.abs(s2[i]);
        }
        double lr = 0.01;
        double t = 8 * tol(dtype);

        Span sp = upload(b, dtype, p);
        Span sg = upload(b, dtype, g);
        b.sgdUpdate(sp, sg, n, lr);
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = p[i] - lr * g[i];
        }
        assertClose("sgd", e, download(b, sp, n), t);
        free(b, sp);

        sp = upload(b, dtype, p);
        Span sv = upload(b, dtype, s1);
        b.momentumUpdate(sp, sg, sv, n, lr, 0.9);
        double[] ev = new double[n];
        for (int i = 0; i < n; i++) {
            ev[i] = 0.9 * s1[i] + 0.1 * g[i];
            e[i] = p[i] - lr * ev[i];
        }
        assertClose("momentum p", e, download(b, sp, n), t);
        assertClose("momentum v", ev, download(b, sv, n), t);
        free(b, sp, sv);

        sp = upload(b, dtype, p);
        Span ss = upload(b, dtype, s2);
        b.rmspropUpdate(sp, sg, ss, n, lr, 0.99, 1e-8);
        for (int i = 0; i < n; i++) {
            ev[i] = 0.99 * s2[i] + 0.01 * g[i] * g[i];
            e[i] = p[i] - lr * g[i] / (Math.sqrt(ev[i]) + 1e-8);
        }
        assertClose("rmsprop p", e, download(b, sp, n), t);
        assertClose("rmsprop s", ev, download(b, ss, n), t);
        free(b, sp, ss);

        sp = upload(b, dtype, p);
        Span sm = upload(b, dtype, s1);
        Span sv2 = upload(b, dtype, s2);
        int step = 3;
        double b1 = 0.9;
        double b2 = 0.999;
        double wd = 0.01;
        b.adamUpdate(sp, sg, sm, sv2, n, lr, b1, b2, 1e-8, step, wd);
        double[] em = new double[n];
        for (int i = 0; i < n; i++) {
            em[i] = b1 * s1[i] + (1 - b1) * g[i];
            ev[i] = b2 * s2[i] + (1 - b2) * g[i] * g[i];
            double mhat = em[i] / (1 - Math.pow(b1, step));
            double vhat = ev[i] / (1 - Math.pow(b2, step));
            e[i] = p[i] - lr * mhat / (Math.sqrt(vhat) + 1e-8) - lr * wd * p[i];
        }
        assertClose("adam p", e, download(b, sp, n), t);
        assertClose("adam m", em, download(b, sm, n), t);
        assertClose("adam v", ev, download(b, sv2, n), t);
        free(b, sp, sm, sv2, sg);
    }

    /** A fused expression's values are kernel arguments: a new learning rate builds no new program. */
    @Test
    void expressionsDifferingOnlyInValuesShareOneProgram() {
        OpenClBackend b = (OpenClBackend) backend();
        double[] x = {1, 2, 3, 4, 5};
        Span in = upload(b, DType.F32, x);
        Span out = Span.of(b.allocate(DType.F32, x.length));
        int before = -1;
        for (double lr : new double[] {0.5, 0.25, -3}) {
            Expression.Builder e = Expression.builder(1);   // x * lr + 1
            Expression step = e.build(e.unary(UnaryOp.ADD_SCALAR, 1,
                    e.binary(BinaryOp.MUL, e.input(0), e.constant(lr))));
            b.evaluate(step, 1, x.length, new Operand[] {Operand.dense(in, x.length)}, new Span[] {out});
            double[] want = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                want[i] = (float) (x[i] * (float) lr) + 1;   // float + 1 rounds to float
            }
            assertClose("x * " + lr + " + 1", want, download(b, out, x.length), 0);
            if (before < 0) {
                before = b.programsBuilt();
            }
            assertThat(b.programsBuilt()).as("programs after lr=%s", lr).isEqualTo(before);
        }
        free(b, in, out);
    }
}
