package dev.ember.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GemmShapeTest {
    @Test
    void squareSizeMeansAllThreeDimensions() {
        GemmShape s = GemmShape.parse("512");
        assertThat(s).isEqualTo(new GemmShape(512, 512, 512, false, false));
        assertThat(s.flops()).isEqualTo(2.0 * 512 * 512 * 512);
    }

    @Test
    void transposesSetTheStoredLeadingDimensions() {
        GemmShape s = GemmShape.parse("784x256x128:TN");
        assertThat(s.transA()).isTrue();
        assertThat(s.transB()).isFalse();
        assertThat(s.lda()).isEqualTo(784);
        assertThat(s.ldb()).isEqualTo(256);
        assertThat(s).hasToString("784x256x128:TN");
    }

    @Test
    void rejectsMalformedShapesWithTheText() {
        assertThatThrownBy(() -> GemmShape.parse("12x3")).hasMessageContaining("'12x3'");
        assertThatThrownBy(() -> GemmShape.parse("2x3x4:XY")).hasMessageContaining("XY");
    }
}
