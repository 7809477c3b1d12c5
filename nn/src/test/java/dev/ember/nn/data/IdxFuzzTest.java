package dev.ember.nn.data;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile bytes never crash the IDX reader: any input is read, or fails with one
 * {@link IllegalArgumentException} line — never an OutOfMemoryError, an index exception or a hang.
 * Each input is read twice, as a file of known size and as a stream of unknown length. Runs the seed
 * corpus ({@code IdxFuzzTestInputs/readAnyBytes/}) in the normal test run; {@code JAZZER_FUZZ=1}
 * fuzzes (see the README).
 */
class IdxFuzzTest {
    @FuzzTest(maxDuration = "90s")
    void readAnyBytes(byte[] input) throws IOException {
        for (long size : new long[] {input.length, -1}) {
            try {
                IdxLoader.IdxArray a = IdxLoader.read(new ByteArrayInputStream(input), "fuzz", size, -1, null);
                assertThat((long) a.count() * a.itemSize()).isEqualTo(a.length());
                assertThat(a.values()).hasSize(a.length());
                if (a.itemSize() == 1) {
                    for (int label : a.asLabels(10)) {
                        assertThat(label).isBetween(0, 9);
                    }
                }
            } catch (IllegalArgumentException expected) {
                assertThat(expected.getMessage()).startsWith("idx: fuzz: ").doesNotContain("\n");
            }
        }
    }
}
