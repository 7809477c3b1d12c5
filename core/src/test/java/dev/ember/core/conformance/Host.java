package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Span;

import java.util.SplittableRandom;

/**
 * Host-side helpers of the conformance suite: deterministic test data (always exactly representable in
 * the dtype under test, so the float64 reference sees the very inputs the kernel saw), moving data in
 * and out of a backend without going through the kernels under test, and the tolerance checks.
 */
public final class Host {
    private Host() {
    }

    // ------------------------------------------------------------------ data

    /** Rounds to the dtype (F32 values are doubles that are exact floats). */
    public static double round(DType dtype, double v) {
        return dtype == DType.F32 ? (double) (float) v : v;
    }

    public static double[] round(DType dtype, double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = round(dtype, out[i]);
        }
        return out;
    }

    /** Uniform values in [lo, hi), rounded to the dtype. */
    public static double[] uniform(DType dtype, long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = round(dtype, lo + (hi - lo) * r.nextDouble());
        }
        return out;
    }

    /** Uniform values in [-1, 1) whose magnitude is at least {@code minAbs} (kinks and poles stay away). */
    public static double[] uniformAwayFromZero(DType dtype, long seed, int n, double scale, double minAbs) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double m = minAbs + (scale - minAbs) * r.nextDouble();
            out[i] = round(dtype, r.nextBoolean() ? m : -m);
        }
        return out;
    }

    /**
     * Multiples of 1/8 in [-max, max]: exact in F32 and F64, with frequent ties and zeros, so sums of
     * up to millions of them are exact in any order and a kernel's summation order cannot matter.
     */
    public static double[] eighths(long seed, int n, double max) {
        SplittableRandom r = new SplittableRandom(seed);
        int levels = (int) Math.round(max * 8);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (r.nextInt(2 * levels + 1) - levels) / 8.0;
        }
        return out;
    }

    public static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    public static double[] filled(int n, double value) {
        double[] out = new double[n];
        java.util.Arrays.fill(out, value);
        return out;
    }

    // ------------------------------------------------------------------ transfer

    /** A tensor holding {@code data} (row-major), written with {@link Backend#write} only. */
    public static Tensor tensor(Backend backend, DType dtype, double[] data, int... dims) {
        if (dtype == DType.F32) {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return Tensor.of(backend, f, dims);
        }
        return Tensor.of(backend, data.clone(), dims);
    }

    /**
     * A tensor's elements in row-major order. Contiguous tensors are read with {@link Backend#read} in
     * their own dtype (no cast kernel involved); other views are first made dense with {@link Tensor#copy}.
     */
    public static double[] values(Tensor t) {
        if (!t.isContiguous()) {
            try (Tensor c = t.copy()) {
                return values(c);
            }
        }
        return read(t.backend(), t.span(), t.size());
    }

    /** Reads {@code n} elements of a span as doubles. */
    public static double[] read(Backend backend, Span span, int n) {
        double[] out = new double[n];
        if (span.buffer().dtype() == DType.F32) {
            float[] f = new float[n];
            backend.read(span, f, 0, n);
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
            }
        } else {
            backend.read(span, out, 0, n);
        }
        return out;
    }

    /** Writes doubles (rounded to the buffer's dtype) into a span. */
    public static void write(Backend backend, Span span, double[] data) {
        if (span.buffer().dtype() == DType.F32) {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            backend.write(span, f, 0, f.length);
        } else {
            backend.write(span, data, 0, data.length);
        }
    }

    /**
     * A 1-D buffer of {@code before + n + after} elements whose padding holds {@code pad} (a sentinel or
     * NaN) and whose middle holds {@code data}; {@link #at} gives the span of the middle.
     */
    public static Tensor padded(Backend backend, DType dtype, double[] data, int before, int after, double pad) {
        double[] all = filled(before + data.length + after, pad);
        System.arraycopy(data, 0, all, before, data.length);
        return tensor(backend, dtype, all, all.length);
    }

    public static Span at(Tensor t, int offset) {
        return new Span(t.span().buffer(), t.span().offset() + offset);
    }

    /** Asserts that the padding around {@code [before, before + n)} of a {@link #padded} buffer still holds {@code pad}. */
    public static void assertPaddingIntact(String what, Tensor buffer, int before, int n, double pad) {
        double[] all = values(buffer);
        for (int i = 0; i < all.length; i++) {
            if (i >= before && i < before + n) {
                continue;
            }
            if (!(Double.compare(all[i], pad) == 0 || (Double.isNaN(pad) && Double.isNaN(all[i])))) {
                throw new AssertionError(what + ": element " + i + " outside the output span [" + before + ", "
                        + (before + n) + ") was overwritten: expected " + pad + ", got " + all[i]);
            }
        }
    }

    // ------------------------------------------------------------------ tolerances

    /** Relative tolerance for results computed in one or a few rounding steps. */
    public static double rtol(DType dtype) {
        return dtype == DType.F32 ? 1e-5 : 1e-10;
    }

    /**
     * Element-wise {@code |actual - expected| <= atol + rtol * |expected|}; NaN must match NaN, and
     * infinities must match exactly. Reports how many elements differ and the worst one.
     */
    public static void assertClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        assertClose(what, expected, actual, i -> atol + rtol * Math.abs(expected[i]));
    }

    /** Per-element tolerance. */
    public static void assertClose(String what, double[] expected, double[] actual, Tolerance tolerance) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": expected " + expected.length + " elements, got " + actual.length);
        }
        int bad = 0;
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            double ratio;
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                ratio = Double.compare(e, a) == 0 ? 0 : Double.POSITIVE_INFINITY;
            } else if (!Double.isFinite(a)) {
                ratio = Double.POSITIVE_INFINITY;
            } else {
                double tol = tolerance.at(i);
                double diff = Math.abs(a - e);
                ratio = diff == 0 ? 0 : diff / tol;
            }
            if (!(ratio <= 1)) {
                bad++;
                if (worst < 0 || ratio > worstRatio || Double.isNaN(ratio)) {
                    worst = i;
                    worstRatio = ratio;
                }
            }
        }
        if (bad > 0) {
            int first = -1;
            for (int i = 0; i < expected.length && first < 0; i++) {
                double e = expected[i];
                double a = actual[i];
                boolean ok = Double.isFinite(e) ? Double.isFinite(a) && Math.abs(a - e) <= tolerance.at(i)
                        : Double.compare(e, a) == 0;
                if (!ok) {
                    first = i;
                }
            }
            throw new AssertionError(String.format(
                    "%s: %d of %d elements outside tolerance; first at [%d]: expected %s, got %s (tolerance %.3g);"
                            + " worst at [%d]: expected %s, got %s (tolerance %.3g)",
                    what, bad, expected.length, first, expected[first], actual[first], tolerance.at(first),
                    worst, expected[worst], actual[worst], tolerance.at(worst)));
        }
    }

    /** Bit-for-bit equality (as doubles widened from the dtype), the sign of zero included. */
    public static void assertExact(String what, double[] expected, double[] actual) {
        assertClose(what, expected, actual, 0, 0);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] == 0 && Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": element " + i + " should be " + expected[i] + ", got " + actual[i]);
            }
        }
    }

    /** Tolerance of element {@code i}. */
    @FunctionalInterface
    public interface Tolerance {
        double at(int i);
    }
}
