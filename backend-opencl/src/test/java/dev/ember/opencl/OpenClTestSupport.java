package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Probe;
import dev.ember.core.spi.Span;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** One backend instance for this module's own tests; skipped without OpenCL unless -Dember.require names it. */
final class OpenClTestSupport {
    private static Backend backend;

    private OpenClTestSupport() {
    }

    static synchronized Backend backend() {
        if (backend == null) {
            Probe probe = new OpenClProvider().probe();
            if (!probe.available()) {
                boolean required = Arrays.asList(System.getProperty("ember.require", "").split(","))
                        .contains("opencl");
                if (required) {
                    fail("opencl is required (-Dember.require) but unavailable: " + probe.reason());
                }
                assumeTrue(false, "opencl unavailable: " + probe.reason());
            }
            backend = new OpenClProvider().create();
        }
        return backend;
    }

    static Span upload(Backend b, DType dtype, double[] values) {
        DeviceBuffer buf = b.allocate(dtype, Math.max(1, values.length));
        Span s = Span.of(buf);
        if (dtype == DType.F32) {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            b.write(s, f, 0, f.length);
        } else {
            b.write(s, values, 0, values.length);
        }
        return s;
    }

    static double[] download(Backend b, Span s, int length) {
        double[] out = new double[length];
        if (s.buffer().dtype() == DType.F32) {
            float[] f = new float[length];
            b.read(s, f, 0, length);
            for (int i = 0; i < length; i++) {
                out[i] = f[i];
            }
        } else {
            b.read(s, out, 0, length);
        }
        return out;
    }

    /** Values as the device holds them: rounded to F32 when the dtype is F32, so references start equal. */
    static double[] rounded(DType dtype, double[] values) {
        if (dtype == DType.F64) {
            return values.clone();
        }
        double[] r = new double[values.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) values[i];
        }
        return r;
    }

    static double[] randoms(Random rnd, int n, double scale) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (rnd.nextDouble() * 2 - 1) * scale;
        }
        return v;
    }

    static void free(Backend b, Span... spans) {
        for (Span s : spans) {
            b.free(s.buffer());
        }
    }

    /** Relative-or-absolute closeness per element, with a message that names the first offender. */
    static void assertClose(String what, double[] expected, double[] actual, double tol) {
        if (expected.length != actual.length) {
            fail(what + ": length " + actual.length + " != " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a) || e == a) {
                continue;
            }
            if (!(Math.abs(e - a) <= tol * Math.max(1, Math.abs(e)))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (tolerance " + tol + ")");
            }
        }
    }

    static double tol(DType dtype) {
        return dtype == DType.F32 ? 2e-5 : 1e-12;
    }
}
