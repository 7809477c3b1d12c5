package dev.ember.cpu.kernels;

import dev.ember.core.DType;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;
import dev.ember.cpu.CpuBackend;

import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Shared helpers for the kernel tests: a single-threaded and a multi-threaded backend, buffers
 * written at a non-zero offset (so kernels must honour span offsets), and comparisons against
 * scalar double references.
 */
abstract class KernelTestSupport {
    /** Sizes around every vector width: tails of 1 .. lanes-1 elements and multi-vector bodies. */
    static final int[] SIZES = {1, 3, 7, 17, 33, 65, 127, 513};
    /** Elements written before each operand, so offsets are exercised. */
    static final int PAD = 3;

    /** Shared by all test classes of the JVM; their pools use daemon threads. */
    static final CpuBackend SERIAL = new CpuBackend(1);
    static final CpuBackend THREADED = new CpuBackend(3);

    static Stream<CpuBackend> backends() {
        return Stream.of(SERIAL, THREADED);
    }

    static Stream<DType> dtypes() {
        return Stream.of(DType.F32, DType.F64);
    }

    /** Rounds to the dtype, so references see exactly the values the kernel sees. */
    static double[] rounded(DType dtype, double[] values) {
        double[] r = values.clone();
        if (dtype == DType.F32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) r[i];
            }
        }
        return r;
    }

    static double[] random(Random rnd, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return v;
    }

    static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }

    /** A buffer holding {@code values} at offset {@link #PAD}, rounded to the dtype. */
    static Span upload(CpuBackend backend, DType dtype, double[] values) {
        DeviceBuffer buffer = backend.allocate(dtype, values.length + PAD + 1);
        Span span = new Span(buffer, PAD);
        if (dtype == DType.F32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            backend.write(span, f, 0, f.length);
        } else {
            backend.write(span, values, 0, values.length);
        }
        return span;
    }

    static Span zeros(CpuBackend backend, DType dtype, int n) {
        return upload(backend, dtype, new double[n]);
    }

    static double[] download(CpuBackend backend, Span span, int n) {
        double[] r = new double[n];
        if (span.buffer().dtype() == DType.F32) {
            float[] f = new float[n];
            backend.read(span, f, 0, n);
            for (int i = 0; i < n; i++) {
                r[i] = f[i];
            }
        } else {
            backend.read(span, r, 0, n);
        }
        return r;
    }

    /** Relative tolerance for results of a few rounded operations in the dtype. */
    static double tolerance(DType dtype) {
        return dtype == DType.F32 ? 2e-6 : 1e-13;
    }

    /**
     * {@code |actual - expected| <= rel * max(|expected|, scale)} element-wise, with NaN and
     * infinities required to match exactly.
     */
    static void assertClose(String what, double[] expected, double[] actual, double rel, double scale) {
        double[] scales = new double[expected.length];
        java.util.Arrays.fill(scales, scale);
        assertClose(what, expected, actual, rel, scales);
    }

    /** As above with a scale per element: {@code |actual - expected| <= rel * max(|expected|, scale[i])}. */
    static void assertClose(String what, double[] expected, double[] actual, double rel, double[] scales) {
        for (int i = 0; i < expected.length; i++) {
            double scale = scales[i];
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.compare(e, a) != 0) {
                    fail("%s[%d]: expected %s, got %s", what, i, e, a);
                }
                continue;
            }
            if (!(Math.abs(a - e) <= rel * Math.max(Math.abs(e), scale))) {
                fail("%s[%d]: expected %s, got %s (tolerance %s)", what, i, e, a, rel * Math.max(Math.abs(e), scale));
            }
        }
    }

    /** Bit-exact comparison after rounding the reference to the dtype. */
    static void assertExact(String what, DType dtype, double[] expected, double[] actual) {
        double[] e = rounded(dtype, expected);
        for (int i = 0; i < e.length; i++) {
            if (Double.compare(e[i], actual[i]) != 0) {
                fail("%s[%d]: expected %s, got %s", what, i, e[i], actual[i]);
            }
        }
    }
}
