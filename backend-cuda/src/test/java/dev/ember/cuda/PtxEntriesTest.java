package dev.ember.cuda;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PTX entry parser on text shaped like nvcc's, independent of whether this build has nvcc. */
class PtxEntriesTest {
    private static final String PTX = """
            .version 9.0
            .target sm_75
            .address_size 64

            \t// .globl\tember_fill
            .visible .entry ember_fill(
            \t.param .u64 ember_fill_param_0,
            \t.param .u32 ember_fill_param_1,
            \t.param .f32 ember_fill_param_3
            )
            {
            \tret;
            }
            .visible .entry ember_gemm_f32_nn(
            \t.param .u32 ember_gemm_f32_nn_param_0,
            \t.param .align 8 .b8 ember_gemm_f32_nn_param_1[16]
            )
            .maxntid 256, 1, 1
            .minnctapersm 2
            {
            \tret;
            }
            .visible .entry ember_noop()
            {
            \tret;
            }
            """;

    @Test
    public void readsNamesParameterTypesAndLaunchBounds() {
        Map<String, PtxEntries.Entry> entries = PtxEntries.parse(PTX);

        assertThat(entries.keySet()).containsExactly("ember_fill", "ember_gemm_f32_nn", "ember_noop");
        assertThat(entries.get("ember_fill").paramTypes()).containsExactly("u64", "u32", "f32");
        assertThat(entries.get("ember_fill").maxThreads()).isZero();
        assertThat(entries.get("ember_gemm_f32_nn").paramTypes()).containsExactly("u32", "b8");
        assertThat(entries.get("ember_gemm_f32_nn").maxThreads()).isEqualTo(256);
        assertThat(entries.get("ember_noop").paramTypes()).isEmpty();
    }

    @Test
    public void dropsTheTerminatingNulOfALoadableImage() {
        byte[] text = PTX.getBytes(StandardCharsets.UTF_8);
        byte[] image = java.util.Arrays.copyOf(text, text.length + 1);

        assertThat(PtxEntries.of(image)).isEqualTo(PtxEntries.parse(PTX));
    }

    @Test
    public void rejectsAParameterLineItCannotRead() {
        String broken = String.join("\n", List.of(".visible .entry k(", "\t.param .u32", ")", "{", "}"));

        assertThatThrownBy(() -> PtxEntries.parse(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry k: unexpected parameter line '.param .u32'");
    }
}
