package dev.ember.core.spi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping from Philox blocks to elements, uniforms and normals that every backend reproduces. */
class PhiloxTest {
    @Test
    void elementIUsesWordIMod4OfBlockIDiv4WithStreamInTheCounterAndSeedAsKey() {
        long seed = 0x0123456789ABCDEFL;
        long stream = 0xFEDCBA9876543210L;
        for (long i : new long[] {0, 1, 2, 3, 4, 7, 1 << 20, (1L << 34) + 5}) {
            int[] out = new int[4];
            long block = i >>> 2;
            Philox.block(new int[] {(int) block, (int) (block >>> 32), 0x76543210, 0xFEDCBA98},
                    new int[] {0x89ABCDEF, 0x01234567}, out);
            assertThat(Philox.word(seed, stream, i)).as("element %d", i).isEqualTo(out[(int) (i & 3)]);
        }
    }

    @Test
    void uniformDropsTheLowNineBitsAndCentresEachBin() {
        double bin = 1.0 / (1 << 23);
        assertThat(Philox.uniform(0)).isEqualTo(0.5 * bin);
        assertThat(Philox.uniform(0x1FF)).isEqualTo(0.5 * bin);
        assertThat(Philox.uniform(0x200)).isEqualTo(1.5 * bin);
        assertThat(Philox.uniform(0x80000000)).isEqualTo(0.5 + 0.5 * bin);
        assertThat(Philox.uniform(0xFFFFFFFF)).isEqualTo(1 - 0.5 * bin);
    }

    @Test
    void uniformIsExactAndStrictlyInsideTheUnitIntervalInF32() {
        for (int w : new int[] {0, 0x1FF, 0x200, 0x7FFFFFFF, 0x80000000, 0xFFFFFE00, 0xFFFFFFFF}) {
            double u = Philox.uniform(w);
            assertThat((double) (float) u).as("word %08x", w).isEqualTo(u);
            assertThat((float) u).as("word %08x", w).isGreaterThan(0f).isLessThan(1f);
        }
    }

    @Test
    void normalsComeInBoxMullerPairs() {
        long seed = 5, stream = 9;
        for (long j = 0; j < 50; j++) {
            double u1 = Philox.uniform(Philox.word(seed, stream, 2 * j));
            double u2 = Philox.uniform(Philox.word(seed, stream, 2 * j + 1));
            double r = Math.sqrt(-2 * Math.log(u1));
            double even = Philox.normal(seed, stream, 2 * j);
            double odd = Philox.normal(seed, stream, 2 * j + 1);
            assertThat(even).isEqualTo(r * Math.cos(2 * Math.PI * u2));
            assertThat(odd).isEqualTo(r * Math.sin(2 * Math.PI * u2));
            assertThat(Math.hypot(even, odd)).isCloseTo(r, org.assertj.core.data.Offset.offset(1e-12 * (1 + r)));
        }
    }

    @Test
    void streamsAndSeedsSelectDifferentWords() {
        assertThat(Philox.word(1, 2, 3)).isNotEqualTo(Philox.word(1, 3, 3));
        assertThat(Philox.word(1, 2, 3)).isNotEqualTo(Philox.word(2, 2, 3));
        assertThat(Philox.word(1, 2, 3)).isNotEqualTo(Philox.word(1, 2 + (1L << 32), 3));
        assertThat(Philox.word(1, 2, 3)).isNotEqualTo(Philox.word(1 + (1L << 32), 2, 3));
        assertThat(Philox.word(1, 2, 3)).isEqualTo(Philox.word(1, 2, 3));
    }
}
