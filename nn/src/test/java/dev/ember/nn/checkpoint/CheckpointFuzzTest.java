package dev.ember.nn.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Hostile bytes never crash the checkpoint reader: any input either validates or fails with a
 * {@link CheckpointException} — never an OutOfMemoryError, an index exception or a hang. Runs the
 * seed corpus ({@code CheckpointFuzzTestInputs/readAnyBytes/}: valid checkpoints and one file per
 * broken rule) in the normal test run; {@code JAZZER_FUZZ=1} fuzzes (see the README).
 */
class CheckpointFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void readAnyBytes(byte[] input) {
        try (SafetensorsFile f = SafetensorsFile.of(input, "fuzz")) {
            SafetensorsHeader h = Checkpoints.validate(f, "fuzz");
            for (TensorEntry t : h.tensors()) {
                if (t.dtype() == TensorDType.F32 || t.dtype() == TensorDType.F64) {
                    f.doubles(t);   // bounded by the input's size, which the header was checked against
                } else {
                    f.bytes(t);
                }
            }
        } catch (CheckpointException expected) {
            // the one way a bad file may fail
        }
    }
}
