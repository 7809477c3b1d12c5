package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DerivedOps;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Span;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The derived tier: a backend's override of each default (or the default itself, where the backend
 * has none) against the composition in {@link DerivedOps}, run on the same backend with the same
 * inputs. Every buffer of a call is compared afterwards: outputs, in-place state (running
 * statistics, parameters, moments) and the inputs, which must be unchanged. The other suites check
 * the values against float64 references; this one keeps a fast override from drifting away from the
 * definition.
 */
public interface DerivedOpsConformance extends ConformanceBase {
    int ROWS = 37;
    int COLS = 19;

    /** One SPI call over the spans of its buffers, in the order they were given. */
    @FunctionalInterface
    interface Call {
        void run(Backend backend, Span[] buffers);
    }

    private static double slope(Activation act) {
        return act == Activation.LEAKY_RELU ? 0.1 : 0;
    }

    /** Runs the call on fresh copies of {@code initial} and returns every buffer's contents afterwards. */
    private double[][] run(DType dt, double[][] initial, Call call) {
        try (Scope _ = Scope.open()) {
            Tensor[] tensors = new Tensor[initial.length];
            Span[] spans = new Span[initial.length];
            for (int k = 0; k < initial.length; k++) {
                tensors[k] = Host.tensor(backend(), dt, initial[k], initial[k].length);
                spans[k] = tensors[k].span();
            }
            call.run(backend(), spans);
            double[][] after = new double[initial.length][];
            for (int k = 0; k < initial.length; k++) {
                after[k] = Host.values(tensors[k]);
            }
            return after;
        }
    }

    private void compare(String what, DType dt, double[][] initial, Call override, Call composed) {
        double[][] expected = run(dt, initial, composed);
        double[][] actual = run(dt, initial, override);
        double rtol = dt == DType.F32 ? 2e-4 : 1e-9;
        for (int k = 0; k < initial.length; k++) {
            Host.assertClose(backendName() + " " + what + " " + dt + ", buffer " + k + " (override vs DerivedOps)",
                    expected[k], actual[k], rtol, rtol * Math.max(1, Host.maxAbs(expected[k])));
        }
    }

    private static double[] data(DType dt, long seed, int n, double lo, double hi) {
        return Host.uniform(dt, seed, n, lo, hi);
    }

    private static double[] zeros(int n) {
        return new double[n];
    }

    // ---------------------------------------------------------------- activations

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void overrideOfActivationMatchesTheComposition(Activation act, DType dt) {
        int n = ROWS * COLS;
        double a = slope(act);
        compare("activation " + act, dt, new double[][] {Host.uniformAwayFromZero(dt, 1, n, 6, 1e-3), zeros(n)},
                (b, s) -> b.activation(act, a, s[0], s[1], n),
                (b, s) -> DerivedOps.activation(b, act, a, s[0], s[1], n));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void overrideOfActivationBackwardMatchesTheComposition(Activation act, DType dt) {
        int n = ROWS * COLS;
        double a = slope(act);
        double[] x = Host.uniformAwayFromZero(dt, 2, n, 6, 1e-3);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Host.round(dt, ActivationConformance.forward(act, a, x[i]));
        }
        compare("activationBackward " + act, dt, new double[][] {x, y, data(dt, 3, n, -2, 2), zeros(n)},
                (b, s) -> b.activationBackward(act, a, s[0], s[1], s[2], s[3], n),
                (b, s) -> DerivedOps.activationBackward(b, act, a, s[0], s[1], s[2], s[3], n));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#activationCases")
    default void overrideOfBiasActivationMatchesTheComposition(Activation act, DType dt) {
        double a = slope(act);
        compare("biasActivation " + act, dt, new double[][] {
                        data(dt, 4, ROWS * COLS, -3, 3), data(dt, 5, COLS, -1, 1), zeros(ROWS * COLS)},
                (b, s) -> b.biasActivation(act, a, s[0], s[1], s[2], ROWS, COLS),
                (b, s) -> DerivedOps.biasActivation(b, act, a, s[0], s[1], s[2], ROWS, COLS));
    }

    // ---------------------------------------------------------------- softmax

    @ParameterizedTest(name = "log={0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#softmaxCases")
    default void overrideOfSoftmaxMatchesTheComposition(boolean log, DType dt) {
        compare("softmax log=" + log, dt, new double[][] {data(dt, 6, ROWS * COLS, -20, 20), zeros(ROWS * COLS)},
                (b, s) -> b.softmax(log, s[0], s[1], ROWS, COLS),
                (b, s) -> DerivedOps.softmax(b, log, s[0], s[1], ROWS, COLS));
    }

    @ParameterizedTest(name = "log={0} {1}")
    @MethodSource("dev.ember.core.conformance.ActivationConformance#softmaxCases")
    default void overrideOfSoftmaxBackwardMatchesTheComposition(boolean log, DType dt) {
        int n = ROWS * COLS;
        double[] y = log ? data(dt, 7, n, -5, -0.1) : data(dt, 7, n, 0.01, 0.2);
        compare("softmaxBackward log=" + log, dt, new double[][] {y, data(dt, 8, n, -1, 1), zeros(n)},
                (b, s) -> b.softmaxBackward(log, s[0], s[1], s[2], ROWS, COLS),
                (b, s) -> DerivedOps.softmaxBackward(b, log, s[0], s[1], s[2], ROWS, COLS));
    }

    // ---------------------------------------------------------------- batch normalisation

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfBatchNormTrainingMatchesTheComposition(DType dt) {
        int n = ROWS * COLS;
        compare("batchNormTraining", dt, new double[][] {
                        data(dt, 9, n, -2, 5), data(dt, 10, COLS, 0.5, 1.5), data(dt, 11, COLS, -1, 1),
                        data(dt, 12, COLS, -1, 1), data(dt, 13, COLS, 0.5, 2), zeros(n), zeros(COLS), zeros(COLS)},
                (b, s) -> b.batchNormTraining(ROWS, COLS, s[0], s[1], s[2], 1e-3, 0.9, s[3], s[4], s[5], s[6], s[7]),
                (b, s) -> DerivedOps.batchNormTraining(b, ROWS, COLS, s[0], s[1], s[2], 1e-3, 0.9, s[3], s[4], s[5],
                        s[6], s[7]));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfBatchNormInferenceMatchesTheComposition(DType dt) {
        int n = ROWS * COLS;
        compare("batchNormInference", dt, new double[][] {
                        data(dt, 14, n, -2, 5), data(dt, 15, COLS, 0.5, 1.5), data(dt, 16, COLS, -1, 1),
                        data(dt, 17, COLS, -1, 1), data(dt, 18, COLS, 0.5, 2), zeros(n)},
                (b, s) -> b.batchNormInference(ROWS, COLS, s[0], s[1], s[2], s[3], s[4], 1e-3, s[5]),
                (b, s) -> DerivedOps.batchNormInference(b, ROWS, COLS, s[0], s[1], s[2], s[3], s[4], 1e-3, s[5]));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfBatchNormBackwardMatchesTheComposition(DType dt) {
        int n = ROWS * COLS;
        compare("batchNormBackward", dt, new double[][] {
                        data(dt, 19, n, -2, 2), data(dt, 20, n, -1, 1), data(dt, 21, COLS, 0.5, 1.5),
                        data(dt, 22, COLS, -0.1, 0.1), data(dt, 23, COLS, 0.5, 2), zeros(n), zeros(COLS), zeros(COLS)},
                (b, s) -> b.batchNormBackward(ROWS, COLS, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
                (b, s) -> DerivedOps.batchNormBackward(b, ROWS, COLS, s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]));
    }

    // ---------------------------------------------------------------- optimiser updates

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfSgdUpdateMatchesTheComposition(DType dt) {
        int n = 1031;
        compare("sgdUpdate", dt, new double[][] {data(dt, 24, n, -1, 1), data(dt, 25, n, -1, 1)},
                (b, s) -> b.sgdUpdate(s[0], s[1], n, 0.05),
                (b, s) -> DerivedOps.sgdUpdate(b, s[0], s[1], n, 0.05));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfMomentumUpdateMatchesTheComposition(DType dt) {
        int n = 1031;
        compare("momentumUpdate", dt, new double[][] {
                        data(dt, 26, n, -1, 1), data(dt, 27, n, -1, 1), data(dt, 28, n, -0.1, 0.1)},
                (b, s) -> b.momentumUpdate(s[0], s[1], s[2], n, 0.05, 0.9),
                (b, s) -> DerivedOps.momentumUpdate(b, s[0], s[1], s[2], n, 0.05, 0.9));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfRmspropUpdateMatchesTheComposition(DType dt) {
        int n = 1031;
        compare("rmspropUpdate", dt, new double[][] {
                        data(dt, 29, n, -1, 1), data(dt, 30, n, -1, 1), data(dt, 31, n, 0, 0.1)},
                (b, s) -> b.rmspropUpdate(s[0], s[1], s[2], n, 0.1, 0.9, 1e-2),
                (b, s) -> DerivedOps.rmspropUpdate(b, s[0], s[1], s[2], n, 0.1, 0.9, 1e-2));
    }

    @ParameterizedTest(name = "weightDecay={0}")
    @MethodSource("dev.ember.core.conformance.DerivedOpsConformance#adamCases")
    default void overrideOfAdamUpdateMatchesTheComposition(double weightDecay, DType dt) {
        int n = 1031;
        compare("adamUpdate wd=" + weightDecay, dt, new double[][] {
                        data(dt, 32, n, -1, 1), data(dt, 33, n, -1, 1), data(dt, 34, n, -0.1, 0.1),
                        data(dt, 35, n, 0, 0.01)},
                (b, s) -> b.adamUpdate(s[0], s[1], s[2], s[3], n, 0.1, 0.9, 0.999, 1e-3, 3, weightDecay),
                (b, s) -> DerivedOps.adamUpdate(b, s[0], s[1], s[2], s[3], n, 0.1, 0.9, 0.999, 1e-3, 3,
                        weightDecay));
    }

    @ParameterizedTest(name = "weightDecay={0}")
    @MethodSource("dev.ember.core.conformance.DerivedOpsConformance#adamCases")
    default void overrideOfAdamUpdatesMatchesTheComposition(double weightDecay, DType dt) {
        int[] lengths = {1031, 5, 256, 1, 77, 300};   // more than one launch's worth where a backend groups by four
        int k = lengths.length;
        double[][] initial = new double[4 * k][];
        for (int i = 0; i < k; i++) {
            initial[4 * i] = data(dt, 40 + i, lengths[i], -1, 1);
            initial[4 * i + 1] = data(dt, 50 + i, lengths[i], -1, 1);
            initial[4 * i + 2] = data(dt, 60 + i, lengths[i], -0.1, 0.1);
            initial[4 * i + 3] = data(dt, 70 + i, lengths[i], 0, 0.01);
        }
        compare("adamUpdates wd=" + weightDecay, dt, initial,
                (b, s) -> b.adamUpdates(every(s, 0), every(s, 1), every(s, 2), every(s, 3), lengths, 0.1, 0.9, 0.999,
                        1e-3, 3, weightDecay),
                (b, s) -> DerivedOps.adamUpdates(b, every(s, 0), every(s, 1), every(s, 2), every(s, 3), lengths, 0.1,
                        0.9, 0.999, 1e-3, 3, weightDecay));   // Adam on each tensor in turn
    }

    /** Spans {@code first}, {@code first + 4}, ...: one role of each tensor in a grouped update. */
    private static Span[] every(Span[] s, int first) {
        Span[] r = new Span[s.length / 4];
        for (int i = 0; i < r.length; i++) {
            r[i] = s[4 * i + first];
        }
        return r;
    }

    // ---------------------------------------------------------------- fused expressions

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void overrideOfEvaluateMatchesTheComposition(DType dt) {
        Expression e = ExpressionConformance.denseTail();
        int n = ROWS * COLS;
        compare("evaluate " + e, dt, new double[][] {
                        data(dt, 36, n, -3, 3), data(dt, 37, COLS, -1, 1), data(dt, 38, ROWS, 0.5, 2), zeros(n),
                        zeros(n)},
                (b, s) -> b.evaluate(e, ROWS, COLS, ExpressionConformance.denseTailOperands(s, COLS),
                        new Span[] {s[3], s[4]}),
                (b, s) -> DerivedOps.evaluate(b, e, ROWS, COLS, ExpressionConformance.denseTailOperands(s, COLS),
                        new Span[] {s[3], s[4]}));
    }

    static Stream<Arguments> adamCases() {
        List<Arguments> out = new ArrayList<>();
        for (double wd : new double[] {0, 0.5}) {   // lr * wd * p is large enough to be seen
            for (DType dt : DType.values()) {
                out.add(Arguments.of(wd, dt));
            }
        }
        return out.stream();
    }
}
