package dev.ember.cpu.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deterministic exp, log, tanh and sigmoid: within 2 ulp of {@code StrictMath} (fdlibm) over
 * wide random and edge inputs (sigmoid 4: its {@code e / (1 + e)} rounds three times after exp), special values as {@code Math}, and a vector lane with the same
 * bits as the scalar function on the same input (what keeps tails and vector bodies consistent).
 */
class VectorMathTest {
    private static final int POINTS = 200_000;

    /** Ordinary, wide, tiny, subnormal and edge inputs. */
    private static double[] inputs(long seed, double lo, double hi) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] x = new double[POINTS];
        for (int i = 0; i < POINTS; i++) {
            x[i] = switch (i % 4) {
                case 0 -> random.nextDouble(lo, hi);
                case 1 -> random.nextDouble(-3, 3);
                case 2 -> Math.scalb(random.nextDouble(0.5, 1), random.nextInt(-1080, 1024)) * (random.nextBoolean() ? 1 : -1);
                default -> random.nextDouble(-1, 1) * 1e-3;
            };
        }
        return x;
    }

    private static final double[] SPECIAL = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 709.782712893384, 709.79,
            -745.13, -745.2, -708.4, 88.72, 88.73, -87.3, -103.9, -104, Float.MIN_VALUE, Float.MIN_NORMAL, 1, -1,
            0.625, -0.625, 0.6249999, 1e-300, 20, -20, 40};

    @Test
    void f64WithinTwoUlpOfStrictMath() {
        check64("exp", DoubleVectorMath::exp, StrictMath::exp, inputs(1, -750, 712), 2);
        check64("log", DoubleVectorMath::log, StrictMath::log, inputs(2, 0, 1e6), 2);
        check64("tanh", DoubleVectorMath::tanh, StrictMath::tanh, inputs(3, -25, 25), 2);
        check64("sigmoid", DoubleVectorMath::sigmoid, VectorMathTest::sigmoid, inputs(4, -750, 750), 4);
    }

    @Test
    void f32WithinTwoUlpOfStrictMath() {
        check32("exp", x -> FloatVectorMath.exp((float) x), StrictMath::exp, inputs(5, -105, 90), 2);
        check32("log", x -> FloatVectorMath.log((float) x), StrictMath::log, inputs(6, 0, 1e6), 2);
        check32("tanh", x -> FloatVectorMath.tanh((float) x), StrictMath::tanh, inputs(7, -12, 12), 2);
        check32("sigmoid", x -> FloatVectorMath.sigmoid((float) x), VectorMathTest::sigmoid, inputs(8, -110, 110), 4);
    }

    @Test
    void vectorLanesAndTailsEqualTheScalarFunction() {
        double[] x = inputs(9, -800, 800);
        System.arraycopy(SPECIAL, 0, x, 0, SPECIAL.length);
        for (int i = 0; i < x.length; i += 3) {
            x[i] = Math.abs(x[i]);   // log needs positives
        }
        int n = x.length - 5;   // a tail for every vector width
        float[] xf = KernelDigests.toFloat(x);
        double[] outD = new double[n];
        float[] outF = new float[n];
        for (int fn = 0; fn < 4; fn++) {
            switch (fn) {
                case 0 -> { DoubleVectorMath.exp(x, 0, outD, 0, n); FloatVectorMath.exp(xf, 0, outF, 0, n); }
                case 1 -> { DoubleVectorMath.log(x, 0, outD, 0, n); FloatVectorMath.log(xf, 0, outF, 0, n); }
                case 2 -> { DoubleVectorMath.tanh(x, 0, outD, 0, n); FloatVectorMath.tanh(xf, 0, outF, 0, n); }
                default -> { DoubleVectorMath.sigmoid(x, 0, outD, 0, n); FloatVectorMath.sigmoid(xf, 0, outF, 0, n); }
            }
            for (int i = 0; i < n; i++) {
                double d = switch (fn) {
                    case 0 -> DoubleVectorMath.exp(x[i]);
                    case 1 -> DoubleVectorMath.log(x[i]);
                    case 2 -> DoubleVectorMath.tanh(x[i]);
                    default -> DoubleVectorMath.sigmoid(x[i]);
                };
                float f = switch (fn) {
                    case 0 -> FloatVectorMath.exp(xf[i]);
                    case 1 -> FloatVectorMath.log(xf[i]);
                    case 2 -> FloatVectorMath.tanh(xf[i]);
                    default -> FloatVectorMath.sigmoid(xf[i]);
                };
                assertThat(Double.doubleToRawLongBits(outD[i])).as("F64 fn %d at %s", fn, x[i])
                        .isEqualTo(Double.doubleToRawLongBits(d));
                assertThat(Float.floatToRawIntBits(outF[i])).as("F32 fn %d at %s", fn, xf[i])
                        .isEqualTo(Float.floatToRawIntBits(f));
            }
        }
    }

    @Test
    void fixedOrderSumAddsEveryLane() {
        double[] d = new double[Simd.DL];
        float[] f = new float[Simd.FL];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        for (int i = 0; i < f.length; i++) {
            f[i] = i + 1;
        }
        assertThat(DoubleVectorMath.sum(d)).isEqualTo(Simd.DL * (Simd.DL + 1) / 2.0);
        assertThat(FloatVectorMath.sum(f)).isEqualTo(Simd.FL * (Simd.FL + 1) / 2f);
    }

    static double sigmoid(double x) {
        double e = StrictMath.exp(-Math.abs(x));
        return x < 0 ? e / (1 + e) : 1 / (1 + e);
    }

    private static void check64(String name, DoubleUnaryOperator f, DoubleUnaryOperator ref, double[] xs, double maxUlps) {
        double worst = 0;
        double at = 0;
        for (double x : concat(xs)) {
            double got = f.applyAsDouble(x), want = ref.applyAsDouble(x);
            if (Double.isNaN(want) || Double.isInfinite(want) || want == 0) {
                assertThat(Double.valueOf(got)).as("%s(%s)", name, x).isEqualTo(Double.valueOf(want));
                continue;
            }
            double ulps = Math.abs(got - want) / Math.ulp(want);
            if (ulps > worst) {
                worst = ulps;
                at = x;
            }
        }
        System.out.printf("F64 %s: worst %.3f ulp at %s%n", name, worst, at);
        assertThat(worst).as("F64 %s worst ulp error, at %s", name, at).isLessThanOrEqualTo(maxUlps);
    }

    private static void check32(String name, DoubleUnaryOperator f, DoubleUnaryOperator ref, double[] xs, double maxUlps) {
        double worst = 0;
        double at = 0;
        for (double xd : concat(xs)) {
            float x = (float) xd;
            float got = (float) f.applyAsDouble(x);
            float want = (float) ref.applyAsDouble(x);
            if (Float.isNaN(want) || Float.isInfinite(want) || want == 0) {
                assertThat(Double.valueOf(got)).as("%s(%s)", name, x).isEqualTo(Double.valueOf(want));
                continue;
            }
            double ulps = Math.abs(got - ref.applyAsDouble(x)) / Math.ulp(want);
            if (ulps > worst) {
                worst = ulps;
                at = x;
            }
        }
        System.out.printf("F32 %s: worst %.3f ulp at %s%n", name, worst, at);
        assertThat(worst).as("F32 %s worst ulp error, at %s", name, at).isLessThanOrEqualTo(maxUlps);
    }

    private static double[] concat(double[] xs) {
        double[] all = new double[xs.length + SPECIAL.length];
        System.arraycopy(SPECIAL, 0, all, 0, SPECIAL.length);
        System.arraycopy(xs, 0, all, SPECIAL.length, xs.length);
        return all;
    }
}
