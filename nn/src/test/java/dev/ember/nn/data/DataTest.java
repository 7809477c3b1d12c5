package dev.ember.nn.data;

import dev.ember.core.DType;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Mini-batch partitioning and device loading. */
class DataTest extends BackendTest {
    private static Dataset counting(int n) {
        double[][] x = new double[n][];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = new double[] {i, 10 * i};
            y[i] = i;
        }
        return Dataset.of(x, y);
    }

    @Test
    public void batchesPartitionTheDataWithAPartialLastBatch() {
        Dataset d = counting(10);
        assertThat(d.batchCount(4)).isEqualTo(3);
        try (DeviceLoader loader = new DeviceLoader(d, backend(), DType.F32)) {
            loader.load(null);
            List<Integer> sizes = new ArrayList<>();
            List<Double> firstFeatures = new ArrayList<>();
            Iterator<Batch> it = loader.batches(4);
            while (it.hasNext()) {
                try (Batch b = it.next()) {
                    sizes.add(b.size());
                    firstFeatures.add(b.features().toDoubleArray()[0]);
                    assertThat(b.labels().shape().dims()).containsExactly(b.size(), 1);
                }
            }
            assertThat(sizes).containsExactly(4, 4, 2);
            assertThat(firstFeatures).containsExactly(0.0, 4.0, 8.0);
        }
    }

    @Test
    public void shuffledLoadsKeepFeaturesAndLabelsTogether() {
        Dataset d = counting(7);
        int[] p = Shuffler.seeded(3).permutation(7, 0);
        try (DeviceLoader loader = new DeviceLoader(d, backend(), DType.F64)) {
            loader.load(p);
            try (Batch all = loader.all()) {
                double[] x = all.features().toDoubleArray();
                double[] y = all.labels().toDoubleArray();
                for (int i = 0; i < 7; i++) {
                    assertThat(x[2 * i]).isEqualTo(p[i]);
                    assertThat(x[2 * i + 1]).isEqualTo(10 * p[i]);
                    assertThat(y[i]).isEqualTo(p[i]);
                }
            }
        }
    }

    @Test
    public void shufflingIsSeededPerEpoch() {
        Shuffler s = Shuffler.seeded(10);
        assertThat(s.permutation(50, 0)).containsExactly(Shuffler.seeded(10).permutation(50, 0));
        assertThat(s.permutation(50, 1)).isNotEqualTo(s.permutation(50, 0));
        assertThat(s.permutation(50, 1)).containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 50).toArray());
        assertThat(Shuffler.none().permutation(5, 3)).isNull();
    }

    @Test
    public void oneHotAndSlicing() {
        Dataset d = Dataset.ofClasses(new double[][] {{1}, {2}, {3}}, new int[] {2, 0, 1}, 3);
        assertThat(d.labels()).containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0);
        assertThat(d.slice(1, 3).features()).containsExactly(2, 3);
        assertThat(d.select(new int[] {2, 0}).labels()).containsExactly(0, 1, 0, 0, 0, 1);
    }
}
