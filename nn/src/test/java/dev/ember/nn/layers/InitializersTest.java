package dev.ember.nn.layers;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Initialisers: scale, determinism by seed, host-supplied values. */
class InitializersTest extends BackendTest {
    private double[] draw(Initializer init, int fanIn, int fanOut, long seed) {
        try (Tensor t = init.create(backend(), DType.F64, Shape.of(fanIn, fanOut), fanIn, fanOut, seed, 0)) {
            return t.toDoubleArray();
        }
    }

    private static double std(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / v.length);
    }

    @Test
    public void scalesFollowTheirFormulas() {
        assertThat(std(draw(Initializers.heNormal(), 200, 100, 1))).isCloseTo(Math.sqrt(2 / 200.0), within(0.002));
        assertThat(std(draw(Initializers.glorotNormal(), 200, 100, 1))).isCloseTo(Math.sqrt(2 / 300.0), within(0.002));
        assertThat(std(draw(Initializers.randomNormal(10), 100, 100, 1))).isCloseTo(10, within(0.3));
        double limit = Math.sqrt(6 / 300.0);
        double[] u = draw(Initializers.glorotUniform(), 200, 100, 1);
        assertThat(Arrays.stream(u).max().getAsDouble()).isLessThan(limit).isGreaterThan(0.95 * limit);
        assertThat(Arrays.stream(u).min().getAsDouble()).isGreaterThanOrEqualTo(-limit);
        assertThat(draw(Initializers.zeros(), 3, 2, 1)).containsOnly(0.0);
    }

    @Test
    public void theSameSeedGivesTheSameWeights() {
        assertThat(draw(Initializers.heNormal(), 5, 4, 7)).containsExactly(draw(Initializers.heNormal(), 5, 4, 7));
        assertThat(draw(Initializers.heNormal(), 5, 4, 8)).isNotEqualTo(draw(Initializers.heNormal(), 5, 4, 7));
    }

    @Test
    public void hostValuesInNumpyLayoutAreTransposedIntoTheKernel() {
        // numpy W1 of shape (3, 2): rows are output units
        double[] w = {1, 2, 3, 4, 5, 6};
        Dense d = new Dense(2, 3).kernelInitializer(Initializers.valuesOutByIn(w));
        try (Sequential m = new Sequential(d)) {
            m.backend(backend()).dtype(DType.F64);
            m.build(Shape.of(2));
            assertThat(d.kernel().toDoubleArray()).containsExactly(1, 3, 5, 2, 4, 6);
            d.kernel().assign(new double[] {0, 0, 0, 0, 0, 1});
            assertThat(m.predict(new double[][] {{1, 1}})[0]).containsExactly(0, 0, 1);
        }
    }
}
