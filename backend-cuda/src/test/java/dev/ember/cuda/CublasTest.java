package dev.ember.cuda;

import dev.ember.core.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cuBLAS binding: loading and turning off, the row-major to column-major mapping as a pure
 * function, and the whole call path against a stand-in with cuBLAS's C signatures that computes the
 * column-major BLAS definition on host memory ({@link FakeLibraries}).
 */
class CublasTest {
    @Test
    void theMachinesCublasLoadsOrSaysWhyNot() {
        Cublas cublas = Cublas.load();
        if (cublas.available()) {
            assertThat(cublas.version()).isNotBlank();
            assertThat(cublas.reason()).isNull();
        } else {
            Tools.failIfRequired("cublas", cublas.reason());
            assertThat(cublas.reason()).contains("libcublas", "libcublas.so.13", "libcublas.so.12");
            assertThatThrownBy(() -> cublas.create(Cublas.MathMode.DEFAULT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("cublas: cannot create a handle: libcublas not found");
        }
    }

    @Test
    void falseTurnsCublasOff() {
        String before = System.getProperty(Cublas.LIBRARY_PROPERTY);
        System.setProperty(Cublas.LIBRARY_PROPERTY, "false");
        try {
            Cublas cublas = Cublas.load();
            assertThat(cublas.available()).isFalse();
            assertThat(cublas.reason()).isEqualTo("cuBLAS turned off by -Dember.cuda.cublas=false");
        } finally {
            if (before == null) {
                System.clearProperty(Cublas.LIBRARY_PROPERTY);
            } else {
                System.setProperty(Cublas.LIBRARY_PROPERTY, before);
            }
        }
    }

    @Test
    void aRowMajorProductIsTheColumnMajorProductOfTheSwappedOperands() {
        ColumnMajorCall plain = ColumnMajorCall.of(false, false, 2, 3, 4, 0xA000, 4, 0xB000, 3, 0xC000, 3);
        assertThat(plain).isEqualTo(new ColumnMajorCall(false, false, 3, 2, 4, 0xB000, 3, 0xA000, 4, 0xC000, 3));
        assertThat(plain.transaCode()).isEqualTo(0);
        assertThat(plain.transbCode()).isEqualTo(0);

        // A^T B: A stored [k=4, m=2], so lda >= 2; B keeps n=3
        ColumnMajorCall transposedA = ColumnMajorCall.of(true, false, 2, 3, 4, 0xA000, 5, 0xB000, 7, 0xC000, 9);
        assertThat(transposedA).isEqualTo(new ColumnMajorCall(false, true, 3, 2, 4, 0xB000, 7, 0xA000, 5, 0xC000, 9));
        assertThat(transposedA.transaCode()).isEqualTo(0);
        assertThat(transposedA.transbCode()).isEqualTo(1);

        ColumnMajorCall transposedB = ColumnMajorCall.of(false, true, 2, 3, 4, 0xA000, 4, 0xB000, 4, 0xC000, 3);
        assertThat(transposedB).isEqualTo(new ColumnMajorCall(true, false, 3, 2, 4, 0xB000, 4, 0xA000, 4, 0xC000, 3));
        assertThat(transposedB.transaCode()).isEqualTo(1);
    }

    @Test
    void badRowMajorArgumentsAreRejectedWithTheirValues() {
        assertThatThrownBy(() -> ColumnMajorCall.of(false, false, -1, 3, 4, 1, 4, 1, 3, 1, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("cublas gemm: m must be >= 0, got -1");
        assertThatThrownBy(() -> ColumnMajorCall.of(false, false, 2, 3, 4, 1, 3, 1, 3, 1, 3))
                .hasMessage("cublas gemm: lda must be >= max(1, k) = 4 for row-major storage, got 3");
        assertThatThrownBy(() -> ColumnMajorCall.of(true, false, 2, 3, 4, 1, 1, 1, 3, 1, 3))
                .hasMessage("cublas gemm: lda must be >= max(1, m (A is transposed)) = 2 for row-major storage, got 1");
        assertThatThrownBy(() -> ColumnMajorCall.of(false, true, 2, 3, 4, 1, 4, 1, 3, 1, 3))
                .hasMessage("cublas gemm: ldb must be >= max(1, k (B is transposed)) = 4 for row-major storage, got 3");
        assertThatThrownBy(() -> ColumnMajorCall.of(false, false, 2, 3, 4, 1, 4, 1, 3, 1, 2))
                .hasMessage("cublas gemm: ldc must be >= max(1, n) = 3 for row-major storage, got 2");
        assertThatThrownBy(() -> ColumnMajorCall.of(false, false, 2, 3, 4, 0, 4, 1, 3, 1, 3))
                .hasMessage("cublas gemm: the device address of A is 0 for 8 elements");
        assertThatThrownBy(() -> ColumnMajorCall.of(false, false, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .hasMessage("cublas gemm: lda must be >= max(1, k) = 1 for row-major storage, got 0");
        assertThat(ColumnMajorCall.of(false, false, 0, 3, 4, 0, 4, 1, 3, 0, 3).m()).as("empty C needs no address")
                .isEqualTo(3);
    }

    @Test
    void statusCodesHaveTheirHeaderNames() {
        assertThat(Cublas.statusName(0)).isEqualTo("CUBLAS_STATUS_SUCCESS");
        assertThat(Cublas.statusName(7)).isEqualTo("CUBLAS_STATUS_INVALID_VALUE");
        assertThat(Cublas.statusName(15)).isEqualTo("CUBLAS_STATUS_NOT_SUPPORTED");
        assertThat(Cublas.statusName(99)).isEqualTo("cublasStatus_t");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rowMajorGemmsThroughTheBindingMatchAReference(DType dtype) {
        NativeLibraries.Result fake = FakeLibraries.load("cublas");
        Cublas cublas = Cublas.bind(fake);
        assertThat(cublas.available()).as(cublas.reason()).isTrue();
        assertThat(cublas.version()).isEqualTo("13.0.2");
        Random random = new Random(42);
        try (Cublas.Handle handle = cublas.create(Cublas.MathMode.TF32_TENSOR_OP); Arena arena = Arena.ofConfined()) {
            assertThat(FakeLibraries.hook(fake, "fake_last_math_mode")).isEqualTo(3);
            assertThat(handle.version()).isEqualTo(130002);
            int m = 3;
            int n = 5;
            int k = 4;
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean transB : new boolean[] {false, true}) {
                    // rows padded beyond their length, each matrix differently: swapped strides show
                    int lda = (transA ? m : k) + 2;
                    int ldb = (transB ? k : n) + 3;
                    int ldc = n + 1;
                    double[] a = values(random, (transA ? k : m) * lda);
                    double[] b = values(random, (transB ? n : k) * ldb);
                    double[] c = values(random, m * ldc);
                    double alpha = 1.5;
                    double beta = -0.5;
                    double[] want = c.clone();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double sum = 0;
                            for (int l = 0; l < k; l++) {
                                double x = transA ? a[l * lda + i] : a[i * lda + l];
                                double y = transB ? b[j * ldb + l] : b[l * ldb + j];
                                sum += x * y;
                            }
                            want[i * ldc + j] = alpha * sum + beta * c[i * ldc + j];
                        }
                    }
                    MemorySegment sa = host(arena, dtype, a);
                    MemorySegment sb = host(arena, dtype, b);
                    MemorySegment sc = host(arena, dtype, c);
                    handle.gemm(dtype, transA, transB, m, n, k, alpha, sa.address(), lda, sb.address(), ldb, beta,
                            sc.address(), ldc);
                    double[] got = read(dtype, sc, c.length);
                    for (int i = 0; i < got.length; i++) {
                        assertThat(got[i]).as("%s transA=%b transB=%b element %d", dtype, transA, transB, i)
                                .isEqualTo(want[i]);
                    }
                }
            }
        }
        assertThat(FakeLibraries.hook(fake, "fake_live_handles")).as("handles not destroyed").isZero();
    }

    @Test
    void aFailedGemmNamesTheCallAndTheStatus() {
        NativeLibraries.Result fake = FakeLibraries.load("cublas");
        Cublas cublas = Cublas.bind(fake);
        Cublas.Handle handle = cublas.create(Cublas.MathMode.DEFAULT);
        assertThat(FakeLibraries.hook(fake, "fake_last_math_mode")).isEqualTo(0);
        try (Arena arena = Arena.ofConfined()) {
            long x = arena.allocate(JAVA_FLOAT, 4).address();
            assertThatThrownBy(() -> handle.gemm(DType.F32, false, false, 2, 2, 1, Double.NaN, x, 1, x, 2, 0, x, 2))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("cublas: F32 gemm (row-major m=2 n=2 k=1 transA=false transB=false lda=1 ldb=2 ldc=2,"
                            + " math mode DEFAULT) failed: CUBLAS_STATUS_EXECUTION_FAILED (13): fake status");
        }
        handle.close();
        handle.close();
        assertThatThrownBy(() -> handle.gemm(DType.F32, false, false, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1))
                .isInstanceOf(IllegalStateException.class).hasMessage("cublas gemm: the handle is closed");
        assertThat(FakeLibraries.hook(fake, "fake_live_handles")).isZero();
    }

    @Test
    void aLibraryWithoutCublassFunctionsIsUnavailableWithTheMissingSymbol() {
        Cublas cublas = Cublas.bind(NativeLibraries.find("libm", null, List.of("libm.so.6"), List.of()));
        assertThat(cublas.available()).isFalse();
        assertThat(cublas.reason()).isEqualTo("libcublas loaded from libm.so.6 but unusable: symbol cublasCreate_v2"
                + " is missing from libm.so.6");
    }

    private static double[] values(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(17) - 8;   // small integers: exact in F32, so only the mapping can differ
        }
        return v;
    }

    private static MemorySegment host(Arena arena, DType dtype, double[] values) {
        if (dtype == DType.F64) {
            return arena.allocateFrom(JAVA_DOUBLE, values);
        }
        MemorySegment s = arena.allocate(JAVA_FLOAT, values.length);
        for (int i = 0; i < values.length; i++) {
            s.setAtIndex(JAVA_FLOAT, i, (float) values[i]);
        }
        return s;
    }

    private static double[] read(DType dtype, MemorySegment s, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = dtype == DType.F64 ? s.getAtIndex(JAVA_DOUBLE, i) : s.getAtIndex(JAVA_FLOAT, i);
        }
        return v;
    }
}
