package dev.ember.cuda;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the conformance suite's small problems do not reach: the large-tile SGEMM and the TF32
 * tensor-core kernels (chosen only for big aligned products), cuBLAS through {@code gemm=cublas},
 * and running out of device memory. Needs a GPU: the normal build leaves it out, and
 * {@code scripts/gpu-check.sh} runs it. Each product is compared with the F64 general kernel on the
 * same inputs.
 */
class CudaGemmGpuTest {
    private static final int M = 2048;
    private static final int N = 1024;
    private static final int K = 320;
    /** An offset and row padding that keep float4 alignment, so the fast kernels still apply. */
    private static final int OFFSET = 4;
    private static final int PAD = 8;

    @ParameterizedTest(name = "{0}, transA={1}, transB={2}")
    @CsvSource({"ember,false,false", "ember,false,true", "ember,true,false", "ember,true,true",
        "tf32,false,false", "tf32,true,true", "cublas,false,false", "cublas,true,false", "cublas-tf32,false,true"})
    void largeSgemmMatchesTheDoublePrecisionProduct(String variant, boolean transA, boolean transB) {
        Map<String, String> options = switch (variant) {
            case "ember" -> Map.of();
            case "tf32" -> Map.of("tf32", "true");
            case "cublas" -> Map.of("gemm", "cublas");
            case "cublas-tf32" -> Map.of("gemm", "cublas", "tf32", "true");
            default -> throw new IllegalArgumentException(variant);
        };
        boolean tf32 = variant.contains("tf32");
        try (Backend backend = Backends.open("cuda", options); Backend reference = Backends.open("cuda", Map.of())) {
            int lda = (transA ? M : K) + PAD;
            int ldb = (transB ? K : N) + PAD;
            int ldc = N + PAD;
            double[] a = random(OFFSET + (transA ? K : M) * lda, 1);
            double[] b = random(OFFSET + (transB ? N : K) * ldb, 2);
            double[] c = random(OFFSET + M * ldc, 3);
            float[] got = product(backend, DType.F32, a, b, c, transA, transB, lda, ldb, ldc);
            float[] want = product(reference, DType.F64, a, b, c, transA, transB, lda, ldb, ldc);
            // F32 over K = 320 terms of size ~1: a few ulps of the sum; TF32 rounds inputs to 10 bits
            double tolerance = tf32 ? 2e-2 : 2e-4;
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) {
                    int at = OFFSET + i * ldc + j;
                    assertThat((double) got[at]).as("%s C[%d][%d]", variant, i, j)
                            .isCloseTo(want[at], org.assertj.core.data.Offset.offset(tolerance * Math.sqrt(K)));
                }
            }
            for (int i = 0; i < M; i++) {   // the padding between rows is never written
                for (int j = N; j < ldc && OFFSET + i * ldc + j < got.length; j++) {
                    int at = OFFSET + i * ldc + j;
                    assertThat(got[at]).as("padding C[%d][%d]", i, j).isEqualTo((float) c[at]);
                }
            }
        }
    }

    /** {@code C = 1.5 op(A) op(B) - 0.5 C} in {@code dtype}, read back as floats. */
    private static float[] product(Backend backend, DType dtype, double[] a, double[] b, double[] c, boolean transA,
                                   boolean transB, int lda, int ldb, int ldc) {
        DeviceBuffer da = upload(backend, dtype, a);
        DeviceBuffer db = upload(backend, dtype, b);
        DeviceBuffer dc = upload(backend, dtype, c);
        try {
            backend.gemm(transA, transB, M, N, K, 1.5, new Span(da, OFFSET), lda, new Span(db, OFFSET), ldb, -0.5,
                    new Span(dc, OFFSET), ldc);
            float[] out = new float[c.length];
            if (dtype == DType.F32) {
                backend.read(new Span(dc, 0), out, 0, out.length);
            } else {
                double[] d = new double[c.length];
                backend.read(new Span(dc, 0), d, 0, d.length);
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
            }
            return out;
        } finally {
            backend.free(da);
            backend.free(db);
            backend.free(dc);
        }
    }

    private static DeviceBuffer upload(Backend backend, DType dtype, double[] values) {
        DeviceBuffer buffer = backend.allocate(dtype, values.length);
        if (dtype == DType.F64) {
            backend.write(new Span(buffer, 0), values, 0, values.length);
        } else {
            float[] f = new float[values.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values[i];
            }
            backend.write(new Span(buffer, 0), f, 0, f.length);
        }
        return buffer;
    }

    /** Values exactly representable in F32, so both dtypes multiply the same numbers. */
    private static double[] random(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Test
    void anAllocationLargerThanTheFreeMemoryFailsCleanlyAndTheBackendGoesOn() {
        try (Backend backend = Backends.open("cuda", Map.of())) {
            CudaBackend cuda = (CudaBackend) backend;
            int elements = Integer.MAX_VALUE - 8;
            // grab most of the device in 8 GiB buffers, then ask for more than remains
            java.util.List<DeviceBuffer> held = new java.util.ArrayList<>();
            try {
                long total = cuda.deviceInfo().totalBytes();
                for (long taken = 0; taken + (16L << 30) < total; taken += (long) elements * 4) {
                    held.add(backend.allocate(DType.F32, elements));
                }
                assertThatThrownBy(() -> {
                    for (int i = 0; i < 4; i++) {
                        held.add(backend.allocate(DType.F32, elements));
                    }
                }).isInstanceOf(OutOfDeviceMemoryException.class).hasMessageContaining("cuda");
            } finally {
                held.forEach(backend::free);
            }
            DeviceBuffer after = backend.allocate(DType.F32, 1 << 20);
            float[] back = new float[4];
            backend.fill(new Span(after, 0), 1 << 20, 2.5);
            backend.read(new Span(after, 0), back, 0, 4);
            assertThat(back).containsOnly(2.5f);
            backend.free(after);
        }
    }
}
