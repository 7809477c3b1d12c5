package dev.ember.nn.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Generators, splits and standardisation. */
class SplitsTest {

    /** 100 examples whose single feature is the example's id; 80 of class 0, 20 of class 1. */
    private static Dataset ids() {
        double[][] x = new double[100][1];
        double[] y = new double[100];
        for (int i = 0; i < 100; i++) {
            x[i][0] = i;
            y[i] = i % 5 == 0 ? 1 : 0;
        }
        return Dataset.of(x, y);
    }

    private static Set<Double> idsOf(Dataset d) {
        Set<Double> s = new HashSet<>();
        for (double v : d.features()) {
            s.add(v);
        }
        return s;
    }

    private static double positives(Dataset d) {
        double s = 0;
        for (double v : d.labels()) {
            s += v;
        }
        return s;
    }

    @Test
    void sizesAddUpWithoutOverlap() {
        Split.Parts p = Split.of(ids(), 0.7, 0.2, 0.1).seed(1).apply();
        assertThat(p.train().size()).isEqualTo(70);
        assertThat(p.dev().size()).isEqualTo(20);
        assertThat(p.test().size()).isEqualTo(10);
        Set<Double> all = new HashSet<>(idsOf(p.train()));
        all.addAll(idsOf(p.dev()));
        all.addAll(idsOf(p.test()));
        assertThat(all).hasSize(100);
        // every label travels with its features
        for (Dataset d : new Dataset[] {p.train(), p.dev(), p.test()}) {
            for (int i = 0; i < d.size(); i++) {
                assertThat(d.labels()[i]).isEqualTo(((int) d.features()[i]) % 5 == 0 ? 1.0 : 0.0);
            }
        }
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        Split.Parts a = Split.of(ids(), 0.8, 0.1, 0.1).seed(5).apply();
        Split.Parts b = Split.of(ids(), 0.8, 0.1, 0.1).seed(5).apply();
        Split.Parts c = Split.of(ids(), 0.8, 0.1, 0.1).seed(6).apply();
        assertThat(a.test().features()).containsExactly(b.test().features());
        assertThat(a.train().features()).containsExactly(b.train().features());
        assertThat(a.test().features()).isNotEqualTo(c.test().features());
    }

    @Test
    void stratifiedKeepsTheClassShares() {
        for (long seed = 0; seed < 5; seed++) {
            Split.Parts p = Split.of(ids(), 0.6, 0.2, 0.2).seed(seed).stratified(true).apply();
            assertThat(positives(p.train())).isEqualTo(12);
            assertThat(positives(p.dev())).isEqualTo(4);
            assertThat(positives(p.test())).isEqualTo(4);
        }
        Dataset blobs = Generators.blobs(90, 3, 1, 4);
        Split.Parts p = Split.of(blobs, 2 / 3.0, 0, 1 / 3.0).seed(1).stratified(true).apply();
        assertThat(p.dev()).isNull();
        int[] counts = new int[3];
        for (int c : Split.classesOf(p.test())) {
            counts[c]++;
        }
        assertThat(counts).containsExactly(10, 10, 10);
    }

    @Test
    void badFractionsAreRefused() {
        assertThatThrownBy(() -> Split.of(ids(), 0.5, 0.2, 0.2)).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> Split.of(ids(), 1.2, -0.1, -0.1)).hasMessageContaining("[0, 1]");
    }

    @Test
    void standardizerIsFittedOnTrainingDataOnly() {
        Dataset train = Dataset.of(new double[][] {{1, 10}, {3, 10}, {5, 10}}, new double[] {0, 1, 0});
        Dataset test = Dataset.of(new double[][] {{7, 12}}, new double[] {1});
        Standardizer s = Standardizer.fit(train);
        assertThat(s.mean()).containsExactly(3, 10);
        assertThat(s.std()[0]).isCloseTo(Math.sqrt(8 / 3.0), within(1e-15));
        assertThat(s.std()[1]).isEqualTo(1);           // constant feature: centred only
        Dataset st = s.apply(train);
        assertThat(st.features()[0] + st.features()[2] + st.features()[4]).isCloseTo(0, within(1e-12));
        Dataset tt = s.apply(test);
        // the test example is scaled with the training statistics, not its own
        assertThat(tt.features()[0]).isCloseTo(4 / Math.sqrt(8 / 3.0), within(1e-12));
        assertThat(tt.features()[1]).isEqualTo(2);
        assertThat(tt.labels()).containsExactly(1);
        assertThatThrownBy(() -> s.apply(Dataset.of(new double[][] {{1}}, new double[] {0})))
                .hasMessageContaining("2 features");
    }

    @Test
    void generatorsAreSeededAndShaped() {
        Dataset a = Generators.moons(200, 0.2, 3);
        Dataset b = Generators.moons(200, 0.2, 3);
        assertThat(a.features()).containsExactly(b.features());
        assertThat(Generators.moons(200, 0.2, 4).features()).isNotEqualTo(a.features());
        assertThat(positives(a)).isEqualTo(100);
        Dataset c = Generators.circles(300, 0.0, 0.5, 1);
        for (int i = 0; i < c.size(); i++) {
            double r = Math.hypot(c.features()[2 * i], c.features()[2 * i + 1]);
            assertThat(r).isCloseTo(c.labels()[i] == 1 ? 0.5 : 1, within(1e-12));
        }
        Dataset s = Generators.spirals(300, 3, 0.1, 2);
        assertThat(s.labelShape().size()).isEqualTo(3);
        assertThat(s.size()).isEqualTo(300);
        assertThatThrownBy(() -> Generators.circles(10, 0.1, 1.5, 0)).hasMessageContaining("factor");
    }
}
