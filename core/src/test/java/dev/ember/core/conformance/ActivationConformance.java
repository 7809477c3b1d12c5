package dev.ember.core.conformance;

import dev.ember.core.Activations;
import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
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
 * {@link Backend#activation}, {@link Backend#activationBackward}, {@link Backend#biasActivation},
 * {@link Backend#softmax} and
 * {@link Backend#softmaxBackward}: values against float64 references, stability for huge inputs, and the
 * softmax gradients against central finite differences in F64.
 */
public interface ActivationConformance extends ConformanceBase {

    double LEAKY_SLOPE = 0.1;
    int[] LENGTHS = {1, 7, 65, 1031, 70_001};

    static Stream<Arguments> activationCases() {
        List<Arguments> out = new ArrayList<>();
        for (Activation act : Activation.values()) {
            for (DType dt : DType.values()) {
                out.add(Arguments.of(act, dt));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> softmaxCases() {
        List<Arguments> out = new ArrayList<>();
        for (boolean log : new boolean[] {false, true}) {
            for (DType dt : DType.values()) {
                out.add(Arguments.of(log, dt));
            }
        }
        return out.stream();
    }

    static double alpha(Activation act) {
        return act == Activation.LEAKY_RELU ? LEAKY_SLOPE : 0;
    }

    static double forward(Activation act, double alpha, double x) {
        return switch (act) {
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x > 0 ? x : alpha * x;
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case TANH -> Math.tanh(x);
        };
    }

    /** {@code act'(x)} per the SPI: the ReLUs from x, sigmoid and tanh from the forward output y. */
    static double derivative(Activation act, double alpha, double x, double y) {
        return switch (act) {
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : alpha;
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
        };
    }

    static Tensor apply(Activation act, Tensor x) {
        return switch (act) {
            case RELU -> x.relu();
            case LEAKY_RELU -> x.leakyRelu(LEAKY_SLOPE);
            case SIGMOID -> x.sigmoid();
            case TANH -> x.tanh();
        };
    }

    /** Inputs in [-6, 6] kept away from the ReLU kink at 0 (whose derivative is a convention). */
    static double[] input(DType dt, int n, long seed) {
        return Host.uniformAwayFromZero(dt, seed, n, 6, 1e-3);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void activationForwardMatchesReference(Activation act, DType dt) {
        Backend be = backend();
        double a = alpha(act);
        for (int n : LENGTHS) {
            double[] x = input(dt, n, n + 13L * act.ordinal());
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = forward(act, a, x[i]);
            }
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, n);
                Tensor y = apply(act, tx);
                Host.assertClose(act + " " + dt + " n=" + n, expected, values(y), Host.rtol(dt), Host.rtol(dt) * 1e-3);
                Host.assertExact(act + " input unchanged", x, values(tx));
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void activationBackwardMatchesReference(Activation act, DType dt) {
        Backend be = backend();
        double a = alpha(act);
        for (int n : LENGTHS) {
            double[] x = input(dt, n, 3L * n + act.ordinal());
            double[] dy = Host.uniform(dt, 7L * n + act.ordinal(), n, -2, 2);
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, n);
                Tensor ty = apply(act, tx);
                double[] y = values(ty);
                Tensor tdy = Host.tensor(be, dt, dy, n);
                Tensor dx = Activations.backward(act, a, tx, ty, tdy);
                double[] expected = new double[n];
                for (int i = 0; i < n; i++) {
                    expected[i] = dy[i] * derivative(act, a, x[i], y[i]);
                }
                Host.assertClose(act + " backward " + dt + " n=" + n, expected, values(dx), Host.rtol(dt),
                        Host.rtol(dt) * 1e-2);
                Host.assertExact(act + " backward leaves dy unchanged", dy, values(tdy));
            }
        }
    }

    /**
     * The SPI says sigmoid and tanh differentiate through y and the ReLUs through x: the other input is
     * poisoned with NaN here, and outputs and inputs sit at offsets in separate buffers.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void activationSpiWithOffsetsReadsOnlyWhatTheContractSays(Activation act, DType dt) {
        Backend be = backend();
        double a = alpha(act);
        int n = 1031;
        double[] x = input(dt, n, 77 + act.ordinal());
        double[] dy = Host.uniform(dt, 78 + act.ordinal(), n, -2, 2);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Host.round(dt, forward(act, a, x[i]));
        }
        boolean usesY = act == Activation.SIGMOID || act == Activation.TANH;
        try (Scope _ = Scope.open()) {
            Tensor tx = Host.padded(be, dt, x, 3, 1, Double.NaN);
            Tensor ty = Host.padded(be, dt, new double[n], 5, 2, -1234);
            be.activation(act, a, at(tx, 3), at(ty, 5), n);
            String what = act + " " + dt + " forward at offsets";
            Host.assertClose(what, y, Host.read(be, at(ty, 5), n), Host.rtol(dt), Host.rtol(dt) * 1e-3);
            Host.assertPaddingIntact(what, ty, 5, n, -1234);

            Tensor xs = Host.padded(be, dt, usesY ? Host.filled(n, Double.NaN) : x, 2, 2, Double.NaN);
            Tensor ys = Host.padded(be, dt, usesY ? y : Host.filled(n, Double.NaN), 4, 1, Double.NaN);
            Tensor dys = Host.padded(be, dt, dy, 1, 3, Double.NaN);
            Tensor dxs = Host.padded(be, dt, new double[n], 6, 2, -1234);
            be.activationBackward(act, a, at(xs, 2), at(ys, 4), at(dys, 1), at(dxs, 6), n);
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = dy[i] * derivative(act, a, x[i], y[i]);
            }
            what = act + " " + dt + " backward at offsets, reading " + (usesY ? "y (x is NaN)" : "x (y is NaN)");
            Host.assertClose(what, expected, Host.read(be, at(dxs, 6), n), Host.rtol(dt), Host.rtol(dt) * 1e-2);
            Host.assertPaddingIntact(what, dxs, 6, n, -1234);
        }
    }

    /**
     * {@link Backend#biasActivation}: {@code act(x + bias)} per row, over narrow, odd and wide rows,
     * out of place at offsets (padding intact) and in place, and its gradient through
     * {@link Activations#backward} with the output standing for the input.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void biasActivationAddsTheRowBiasThenActivates(Activation act, DType dt) {
        Backend be = backend();
        double a = alpha(act);
        int[][] grids = {{1, 1}, {3, 5}, {64, 2}, {7, 33}, {130, 129}, {600, 256}};
        for (int[] g : grids) {
            int rows = g[0];
            int cols = g[1];
            int n = rows * cols;
            long seed = 31L * n + act.ordinal();
            double[] x = Host.uniform(dt, seed, n, -4, 4);
            double[] bias = Host.uniform(dt, seed + 1, cols, -1, 1);
            double[] dy = Host.uniform(dt, seed + 2, n, -2, 2);
            double[] z = new double[n];
            double[] expected = new double[n];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int i = r * cols + c;
                    z[i] = Host.round(dt, x[i] + bias[c]);
                    expected[i] = forward(act, a, z[i]);
                }
            }
            String what = act + " " + dt + " " + rows + "x" + cols;
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.padded(be, dt, x, 3, 1, Double.NaN);
                Tensor tb = Host.padded(be, dt, bias, 2, 2, Double.NaN);
                Tensor ty = Host.padded(be, dt, new double[n], 5, 2, -1234);
                be.biasActivation(act, a, at(tx, 3), at(tb, 2), at(ty, 5), rows, cols);
                Host.assertClose(what + " at offsets", expected, Host.read(be, at(ty, 5), n), Host.rtol(dt),
                        Host.rtol(dt) * 1e-3);
                Host.assertPaddingIntact(what + " at offsets", ty, 5, n, -1234);

                Tensor inPlace = Host.tensor(be, dt, x, rows, cols);
                Activations.biasActivationInto(act, a, inPlace, Host.tensor(be, dt, bias, cols), inPlace);
                double[] y = values(inPlace);
                Host.assertClose(what + " in place", expected, y, Host.rtol(dt), Host.rtol(dt) * 1e-3);
                Tensor dx = Activations.backward(act, a, inPlace, inPlace, Host.tensor(be, dt, dy, rows, cols));
                double[] expectedDx = new double[n];
                for (int i = 0; i < n; i++) {   // the contract's derivative, at the output the backend produced
                    expectedDx[i] = dy[i] * derivative(act, a, z[i], y[i]);
                }
                Host.assertClose(what + " gradient through the output", expectedDx, values(dx), Host.rtol(dt),
                        Host.rtol(dt) * 1e-2);
            }
        }
    }

    /** Sigmoid and tanh of huge inputs saturate instead of overflowing to NaN. */
    @ParameterizedTest
    @EnumSource(DType.class)
    default void sigmoidAndTanhSaturateForHugeInputs(DType dt) {
        Backend be = backend();
        double[] x = {-1e4, -1000, -100, -50, -20, -5, 0, 5, 20, 50, 100, 1000, 1e4, -88.5, 88.5, -710, 710};
        try (Scope _ = Scope.open()) {
            Tensor t = Host.tensor(be, dt, x, x.length);
            double[] sig = values(t.sigmoid());
            double[] tanh = values(t.tanh());
            double[] dSig = new double[x.length];
            double[] dTanh = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                dSig[i] = forward(Activation.SIGMOID, 0, x[i]);
                dTanh[i] = Math.tanh(x[i]);
                assertThat(sig[i]).as("sigmoid(%s) %s", x[i], dt).isBetween(0.0, 1.0);
                assertThat(tanh[i]).as("tanh(%s) %s", x[i], dt).isBetween(-1.0, 1.0);
            }
            Host.assertClose("sigmoid of huge inputs " + dt, dSig, sig, Host.rtol(dt), 1e-30);
            Host.assertClose("tanh of huge inputs " + dt, dTanh, tanh, Host.rtol(dt), 1e-30);
        }
    }

    // ------------------------------------------------------------------ softmax

    static double[] softmaxReference(boolean log, double[] x, int rows, int cols) {
        double[] out = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                max = Math.max(max, x[r * cols + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[r * cols + j] - max);
            }
            for (int j = 0; j < cols; j++) {
                double z = x[r * cols + j] - max;
                out[r * cols + j] = log ? z - Math.log(sum) : Math.exp(z) / sum;
            }
        }
        return out;
    }

    static double[] softmaxBackwardReference(boolean log, double[] y, double[] dy, int rows, int cols) {
        double[] dx = new double[y.length];
        for (int r = 0; r < rows; r++) {
            double dot = 0;
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                dot += dy[r * cols + j] * y[r * cols + j];
                sum += dy[r * cols + j];
            }
            for (int j = 0; j < cols; j++) {
                int i = r * cols + j;
                dx[i] = log ? dy[i] - Math.exp(y[i]) * sum : y[i] * (dy[i] - dot);
            }
        }
        return dx;
    }

    int[][] SOFTMAX_SHAPES = {{1, 1}, {1, 7}, {4, 1}, {3, 1031}, {65, 33}, {513, 17}, {2, 4099}, {1000, 10}};

    @ParameterizedTest(name = "log={0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#softmaxCases")
    default void softmaxForwardMatchesReference(boolean log, DType dt) {
        Backend be = backend();
        for (int[] sh : SOFTMAX_SHAPES) {
            int rows = sh[0], cols = sh[1];
            double[] x = Host.uniform(dt, rows * 7L + cols, rows * cols, -8, 8);
            double[] expected = softmaxReference(log, x, rows, cols);
            try (Scope _ = Scope.open()) {
                Tensor tx = Host.tensor(be, dt, x, rows, cols);
                Tensor y = log ? tx.logSoftmax() : tx.softmax();
                assertThat(y.shape()).isEqualTo(tx.shape());
                double[] got = values(y);
                String what = (log ? "logSoftmax " : "softmax ") + dt + " [" + rows + "," + cols + "]";
                Host.assertClose(what, expected, got, Host.rtol(dt) * 3, Host.rtol(dt) * 1e-2);
                if (!log) {
                    assertRowsSumToOne(what, got, rows, cols, dt);
                }
                Host.assertExact(what + " input unchanged", x, values(tx));
            }
        }
        // rank 3: softmax along the last axis
        double[] x = Host.uniform(dt, 5, 2 * 3 * 5, -3, 3);
        try (Scope _ = Scope.open()) {
            Tensor t = Host.tensor(be, dt, x, 2, 3, 5);
            Host.assertClose((log ? "logSoftmax" : "softmax") + " rank 3 " + dt, softmaxReference(log, x, 6, 5),
                    values(log ? t.logSoftmax() : t.softmax()), Host.rtol(dt) * 3, Host.rtol(dt) * 1e-2);
        }
    }

    private static void assertRowsSumToOne(String what, double[] y, int rows, int cols, DType dt) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += y[r * cols + j];
            }
            assertThat(Math.abs(sum - 1)).as("%s: row %d sums to %s", what, r, sum)
                    .isLessThanOrEqualTo((dt == DType.F32 ? 2e-6 : 1e-13) * Math.sqrt(cols));
        }
    }

    @ParameterizedTest(name = "log={0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#softmaxCases")
    default void softmaxIsStableForLogitsOfTenThousand(boolean log, DType dt) {
        Backend be = backend();
        int cols = 9;
        double[] x = {
                1e4, -1e4, 0, 1e4, -1e4, 1e4 - 1, 1e4 - 2, 5, -5,
                -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4,
                1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4, 1e4,
                -1e4, -1e4, -1e4, -1e4, 1e4, -1e4, -1e4, -1e4, -1e4,
                -1e4, -9999, -9998, -1e4, -1e4, -1e4, -1e4, -1e4, -1e4,
        };
        int rows = x.length / cols;
        double[] expected = softmaxReference(log, x, rows, cols);
        try (Scope _ = Scope.open()) {
            double[] got = values(log ? Host.tensor(be, dt, x, rows, cols).logSoftmax()
                    : Host.tensor(be, dt, x, rows, cols).softmax());
            String what = (log ? "logSoftmax" : "softmax") + " of logits +-1e4 " + dt;
            for (int i = 0; i < got.length; i++) {
                assertThat(Double.isFinite(got[i])).as("%s: element %d is %s", what, i, got[i]).isTrue();
            }
            // log-softmax values reach -2e4: F32 resolves them to about 1e-3
            Host.assertClose(what, expected, got, Host.rtol(dt) * 3, log && dt == DType.F32 ? 4e-3 : Host.rtol(dt) * 1e-2);
            if (!log) {
                assertRowsSumToOne(what, got, rows, cols, dt);
            }
        }
    }

    @ParameterizedTest(name = "log={0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#softmaxCases")
    default void softmaxBackwardMatchesFormula(boolean log, DType dt) {
        Backend be = backend();
        for (int[] sh : SOFTMAX_SHAPES) {
            int rows = sh[0], cols = sh[1];
            double[] x = Host.uniform(dt, rows + 11L * cols, rows * cols, -4, 4);
            double[] dy = Host.uniform(dt, rows + 13L * cols, rows * cols, -1, 1);
            try (Scope _ = Scope.open()) {
                Tensor ty = log ? Host.tensor(be, dt, x, rows, cols).logSoftmax()
                        : Host.tensor(be, dt, x, rows, cols).softmax();
                double[] y = values(ty);
                Tensor dx = Activations.softmaxBackward(log, ty, Host.tensor(be, dt, dy, rows, cols));
                double[] expected = softmaxBackwardReference(log, y, dy, rows, cols);
                double scale = dt == DType.F32 ? 1e-5 * Math.sqrt(cols) : 1e-12 * Math.sqrt(cols);
                Host.assertClose((log ? "logSoftmax" : "softmax") + " backward " + dt + " [" + rows + "," + cols + "]",
                        expected, values(dx), Host.rtol(dt) * 3, scale);
            }
        }
    }

    /**
     * Loss {@code L = sum(w * softmax(x))} (or log-softmax): the backward pass with {@code dy = w} must
     * equal central finite differences of L computed with the backend's own forward pass, in F64.
     */
    @ParameterizedTest(name = "log={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    default void softmaxBackwardMatchesFiniteDifferencesInF64(boolean log) {
        Backend be = backend();
        DType dt = DType.F64;
        for (int[] sh : new int[][] {{3, 7}, {2, 33}, {1, 1}, {4, 2}}) {
            int rows = sh[0], cols = sh[1];
            double[] x = Host.uniform(dt, 3L * rows + cols, rows * cols, -3, 3);
            double[] w = Host.uniform(dt, 5L * rows + cols, rows * cols, -1, 1);
            double h = 1e-5;
            double[] fd = new double[x.length];
            try (Scope _ = Scope.open()) {
                for (int i = 0; i < x.length; i++) {
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    xp[i] += h;
                    xm[i] -= h;
                    fd[i] = (loss(be, log, xp, w, rows, cols) - loss(be, log, xm, w, rows, cols)) / (2 * h);
                }
                Tensor ty = log ? Host.tensor(be, dt, x, rows, cols).logSoftmax()
                        : Host.tensor(be, dt, x, rows, cols).softmax();
                Tensor dx = Activations.softmaxBackward(log, ty, Host.tensor(be, dt, w, rows, cols));
                Host.assertClose((log ? "logSoftmax" : "softmax") + " backward vs finite differences [" + rows + ","
                        + cols + "]", fd, values(dx), 1e-6, 1e-8);
            }
        }
    }

    private static double loss(Backend be, boolean log, double[] x, double[] w, int rows, int cols) {
        try (Scope _ = Scope.open()) {
            Tensor t = Host.tensor(be, DType.F64, x, rows, cols);
            double[] y = values(log ? t.logSoftmax() : t.softmax());
            double l = 0;
            for (int i = 0; i < y.length; i++) {
                l += w[i] * y[i];
            }
            return l;
        }
    }

    /** Direct SPI calls at offsets, with outputs separate from inputs. */
    @ParameterizedTest(name = "log={0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#softmaxCases")
    default void softmaxSpiWithOffsetsAndSeparateOutputs(boolean log, DType dt) {
        Backend be = backend();
        int rows = 5, cols = 67;
        double[] x = Host.uniform(dt, 9, rows * cols, -5, 5);
        double[] dy = Host.uniform(dt, 10, rows * cols, -1, 1);
        try (Scope _ = Scope.open()) {
            Tensor tx = Host.padded(be, dt, x, 3, 2, Double.NaN);
            Tensor ty = Host.padded(be, dt, new double[rows * cols], 1, 4, -321);
            be.softmax(log, at(tx, 3), at(ty, 1), rows, cols);
            double[] y = Host.read(be, at(ty, 1), rows * cols);
            String what = (log ? "logSoftmax" : "softmax") + " " + dt + " SPI at offsets";
            Host.assertClose(what, softmaxReference(log, x, rows, cols), y, Host.rtol(dt) * 3, Host.rtol(dt) * 1e-2);
            Host.assertPaddingIntact(what, ty, 1, rows * cols, -321);

            Tensor tdy = Host.padded(be, dt, dy, 2, 2, Double.NaN);
            Tensor tdx = Host.padded(be, dt, new double[rows * cols], 7, 1, -321);
            be.softmaxBackward(log, at(ty, 1), at(tdy, 2), at(tdx, 7), rows, cols);
            Host.assertClose(what + " backward", softmaxBackwardReference(log, y, dy, rows, cols),
                    Host.read(be, at(tdx, 7), rows * cols), Host.rtol(dt) * 3, Host.rtol(dt) * 1e-1);
            Host.assertPaddingIntact(what + " backward", tdx, 7, rows * cols, -321);
        }
    }
}
