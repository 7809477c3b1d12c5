package dev.ember.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShapeTest {
    @ParameterizedTest
    @ValueSource(ints = {0, -1, -7, Integer.MIN_VALUE})
    void rejectsDimensionsBelowOneNamingTheAxisAndValue(int bad) {
        assertThatThrownBy(() -> Shape.of(3, bad, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shape")
                .hasMessageContaining("dimension 1")
                .hasMessageContaining("got " + bad)
                .hasMessageContaining("[3, " + bad + ", 4]");
    }

    @Test
    void rejectsMoreThanIntMaxElements() {
        assertThatThrownBy(() -> Shape.of(65536, 32768))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2^31-1");
        assertThat(Shape.of(65536, 32767).size()).isEqualTo(65536 * 32767);
        assertThat(Shape.of(Integer.MAX_VALUE).size()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void scalarHasRankZeroAndOneElement() {
        Shape s = Shape.of();
        assertThat(s.rank()).isZero();
        assertThat(s.size()).isEqualTo(1);
        assertThat(s.contiguousStrides()).isEmpty();
        assertThat(s).isEqualTo(Shape.scalar());
        assertThat(s.toString()).isEqualTo("[]");
    }

    @Test
    void sizeAndRowMajorStrides() {
        Shape s = Shape.of(2, 3, 4);
        assertThat(s.rank()).isEqualTo(3);
        assertThat(s.size()).isEqualTo(24);
        assertThat(s.contiguousStrides()).containsExactly(12, 4, 1);
        assertThat(Shape.of(5).contiguousStrides()).containsExactly(1);
        assertThat(Shape.of(7, 1, 3).contiguousStrides()).containsExactly(3, 3, 1);
        assertThat(Shape.of(1, 1).contiguousStrides()).containsExactly(1, 1);
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        Shape s = Shape.of(2, 3, 4);
        assertThat(s.normalizeAxis(0, "op")).isZero();
        assertThat(s.normalizeAxis(2, "op")).isEqualTo(2);
        assertThat(s.normalizeAxis(-1, "op")).isEqualTo(2);
        assertThat(s.normalizeAxis(-3, "op")).isZero();
        assertThat(s.dim(-1)).isEqualTo(4);
        assertThat(s.dim(-2)).isEqualTo(3);
        assertThat(s.dim(0)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, -4, -5})
    void axisOutOfRangeNamesTheOperationAxisAndShape(int axis) {
        Shape s = Shape.of(2, 3, 4);
        assertThatThrownBy(() -> s.normalizeAxis(axis, "sum"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sum")
                .hasMessageContaining("axis " + axis)
                .hasMessageContaining("[2, 3, 4]");
        assertThatThrownBy(() -> s.dim(axis))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dim");
    }

    @Test
    void scalarHasNoAxes() {
        assertThatThrownBy(() -> Shape.scalar().normalizeAxis(0, "mean"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mean");
        assertThatThrownBy(() -> Shape.scalar().normalizeAxis(-1, "mean"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isImmutableAndDefensivelyCopied() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 99;
        assertThat(s.dims()).containsExactly(2, 3);
        s.dims()[1] = 99;
        assertThat(s.dims()).containsExactly(2, 3);
        s.contiguousStrides()[0] = 99;
        assertThat(s.contiguousStrides()).containsExactly(3, 1);
    }

    @Test
    void valueEqualityAndToString() {
        assertThat(Shape.of(2, 3)).isEqualTo(Shape.of(2, 3)).hasSameHashCodeAs(Shape.of(2, 3));
        assertThat(Shape.of(2, 3)).isNotEqualTo(Shape.of(3, 2));
        assertThat(Shape.of(6)).isNotEqualTo(Shape.of(6, 1));
        assertThat(Shape.of(64, 20).toString()).isEqualTo("[64, 20]");
    }

    @Test
    void dtypeSizes() {
        assertThat(DType.F32.bytes()).isEqualTo(4);
        assertThat(DType.F64.bytes()).isEqualTo(8);
    }
}
