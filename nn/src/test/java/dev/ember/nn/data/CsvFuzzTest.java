package dev.ember.nn.data;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile text never crashes the CSV reader: any input gives a dataset of finite numbers (NaN only
 * in features, and only with {@code allowNaN}), or fails with one {@link IllegalArgumentException}
 * line naming the source. Runs the seed corpus ({@code CsvFuzzTestInputs/readAnyText/}) in the
 * normal test run; {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class CsvFuzzTest {
    @FuzzTest(maxDuration = "90s")
    void readAnyText(FuzzedDataProvider data) {
        int classes = data.consumeInt(0, 4);
        boolean allowNaN = data.consumeBoolean();
        CsvLoader loader = CsvLoader.builder().classes(classes);
        if (allowNaN) {
            loader.allowNaN();
        }
        byte[] text = data.consumeRemainingAsBytes();
        try {
            Dataset d = loader.load(new ByteArrayInputStream(text), "fuzz");
            assertThat(d.size()).isPositive();
            for (double v : d.features()) {
                assertThat(Double.isFinite(v) || allowNaN && Double.isNaN(v)).as("feature %s", v).isTrue();
            }
            for (double y : d.labels()) {
                assertThat(y).isFinite();
            }
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("csv: ").contains("fuzz").doesNotContain("\n");
        }
    }
}
