package dev.ember.nn.random;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bit-for-bit agreement with numpy's legacy RandomState, against values numpy wrote
 * (test resource numpy/numpy_random_reference.txt, made by numpy_random_reference.py beside it).
 */
class NumpyRandomStateTest {

    @Test
    void matchesNumpyBitForBit() throws IOException {
        int blocks = 0;
        long values = 0;
        try (InputStream in = getClass().getResourceAsStream("/numpy/numpy_random_reference.txt")) {
            assertThat(in).as("reference resource").isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String head;
            while ((head = r.readLine()) != null) {
                String[] h = head.split(" ");
                String kind = h[0];
                long seed = Long.parseLong(h[1]);
                int n = Integer.parseInt(h[2]);
                String[] expected = r.readLine().split(" ");
                NumpyRandomState rng = new NumpyRandomState(seed);
                switch (kind) {
                    case "randn" -> assertBits(rng.randn(n), expected, head);
                    case "rand" -> assertBits(rng.rand(n), expected, head);
                    case "permutation" -> {
                        int[] p = rng.permutation(n);
                        int[] want = Arrays.stream(expected).mapToInt(Integer::parseInt).toArray();
                        assertThat(Arrays.copyOf(p, want.length)).as(head).containsExactly(want);
                    }
                    case "mixed" -> {
                        double[] got = new double[13];
                        System.arraycopy(rng.randn(3), 0, got, 0, 3);
                        System.arraycopy(rng.rand(5), 0, got, 3, 5);
                        System.arraycopy(rng.randn(5), 0, got, 8, 5);
                        assertBits(got, expected, head);
                    }
                    default -> throw new AssertionError("unknown block " + head);
                }
                blocks++;
                values += expected.length;
            }
        }
        assertThat(blocks).isEqualTo(16);
        assertThat(values).isEqualTo(4918);
    }

    private static void assertBits(double[] got, String[] expected, String what) {
        assertThat(got).hasSize(expected.length);
        for (int i = 0; i < got.length; i++) {
            double want = Double.parseDouble(expected[i]);
            assertThat(Double.doubleToRawLongBits(got[i])).as("%s [%d]: %s vs numpy %s", what, i, got[i], want)
                    .isEqualTo(Double.doubleToRawLongBits(want));
        }
    }

    @Test
    void reseedingForgetsTheCachedGaussian() {
        NumpyRandomState r = new NumpyRandomState(3);
        double first = r.nextGaussian();
        r.nextGaussian();
        r.nextGaussian();                 // leaves a cached value
        r.seed(3);
        assertThat(r.nextGaussian()).isEqualTo(first).isEqualTo(1.7886284734303186);
    }

    @Test
    void seedOutsideTheUnsigned32BitRangeIsRefused() {
        assertThatThrownBy(() -> new NumpyRandomState(-1)).hasMessageContaining("seed");
        assertThatThrownBy(() -> new NumpyRandomState(1L << 32)).hasMessageContaining("seed");
    }
}
