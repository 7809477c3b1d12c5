package dev.ember.nn.data;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Doubles, floats and scaled bytes: the same numbers reach the device in either dtype, and slicing,
 * selecting, concatenating and standardising keep the encoding.
 */
class FeatureEncodingsTest extends BackendTest {
    private static final byte[] PIXELS = {0, 7, (byte) 128, (byte) 255, 3, 100};
    private static final double SCALE = 1 / 255.0;
    private static final double[] LABELS = {0, 1, 1};

    private static double[] pixelsAsDoubles() {
        double[] x = new double[PIXELS.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (PIXELS[i] & 0xff) * SCALE;
        }
        return x;
    }

    private static Dataset bytes() {
        return Dataset.ofScaledBytes(PIXELS.clone(), SCALE, Shape.of(2), LABELS, Shape.of(1));
    }

    private double[] loaded(Dataset d, DType dtype, int[] order) {
        try (DeviceLoader loader = new DeviceLoader(d, backend(), dtype)) {
            loader.load(order);
            try (Batch all = loader.all()) {
                return all.features().toDoubleArray();
            }
        }
    }

    @Test
    void scaledBytesReachTheDeviceAsTheDoublesTheyStandFor() {
        Dataset doubles = new Dataset(pixelsAsDoubles(), Shape.of(2), LABELS, Shape.of(1));
        for (DType dtype : DType.values()) {
            for (int[] order : new int[][] {null, {2, 0, 1}}) {
                assertThat(loaded(bytes(), dtype, order)).containsExactly(loaded(doubles, dtype, order));
            }
        }
        assertThat(bytes().features()).containsExactly(pixelsAsDoubles());
    }

    @Test
    void floatsAreWhatF32TrainingReadsFromDoubles() {
        double[] x = {0.1, 1e-3, 2.0 / 3, -7.25};
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        Dataset doubles = new Dataset(x, Shape.of(2), new double[] {0, 1}, Shape.of(1));
        Dataset floats = new Dataset(f, Shape.of(2), new double[] {0, 1}, Shape.of(1));
        assertThat(loaded(floats, DType.F32, null)).containsExactly(loaded(doubles, DType.F32, null));
        assertThat(loaded(floats, DType.F64, new int[] {1, 0})).containsExactly(f[2], f[3], f[0], f[1]);
    }

    @Test
    void slicingSelectingAndConcatenatingKeepTheEncoding() {
        Dataset d = bytes();
        assertThat(d.slice(1, 3).store()).isInstanceOf(Features.ScaledBytes.class);
        assertThat(d.slice(1, 3).features()).containsExactly(java.util.Arrays.copyOfRange(pixelsAsDoubles(), 2, 6));
        Dataset picked = d.select(new int[] {2, 0});
        assertThat(picked.store()).isInstanceOf(Features.ScaledBytes.class);
        assertThat(picked.labels()).containsExactly(1, 0);
        Dataset both = d.concat(picked);
        assertThat(both.store()).isInstanceOf(Features.ScaledBytes.class);
        assertThat(both.size()).isEqualTo(5);
        assertThat(both.features()[7]).isEqualTo(pixelsAsDoubles()[5]);
        Dataset mixed = d.concat(new Dataset(new double[] {0.5, 0.25}, Shape.of(2), new double[] {1}, Shape.of(1)));
        assertThat(mixed.store()).isInstanceOf(Features.Doubles.class);
        assertThat(mixed.features()).endsWith(0.5, 0.25);
        assertThat(d.withLabels(new double[] {1, 1, 0}).store()).isSameAs(d.store());
        assertThatThrownBy(() -> d.concat(new Dataset(new double[] {1}, Shape.of(1), new double[] {1}, Shape.of(1))))
                .hasMessageContaining("dataset.concat");
    }

    @Test
    void standardisingStoresTheChosenDtype() {
        Dataset d = bytes();
        Standardizer s = Standardizer.fit(d);
        Dataset wide = s.apply(d);
        Dataset narrow = s.apply(d, DType.F32);
        assertThat(wide.store()).isInstanceOf(Features.Doubles.class);
        assertThat(narrow.store()).isInstanceOf(Features.Floats.class);
        assertThat(s.apply(d, DType.F64).features()).containsExactly(wide.features());
        assertThat(loaded(narrow, DType.F32, null)).containsExactly(loaded(wide, DType.F32, null));
        Dataset doubles = new Dataset(pixelsAsDoubles(), Shape.of(2), LABELS, Shape.of(1));
        assertThat(Standardizer.fit(doubles).mean()).containsExactly(s.mean());
        assertThat(Standardizer.fit(doubles).std()).containsExactly(s.std());
    }

    @Test
    void aByteScaleMustBeFinite() {
        assertThatThrownBy(() -> Dataset.ofScaledBytes(new byte[2], Double.NaN, Shape.of(1), new double[2],
                Shape.of(1))).hasMessage("dataset: the scale of byte features must be finite, got NaN");
    }
}
