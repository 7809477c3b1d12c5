package dev.ember.nn.check;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.ops.F;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The gradient checker itself: it passes correct backprop and catches a planted bug. */
class GradientCheckTest extends BackendTest {

    /** {@code x^3} with a deliberately wrong derivative {@code 2x^2} instead of {@code 3x^2}. */
    private static Tensor buggyCube(Tensor x) {
        Tensor y;
        try (Tensor sq = x.square()) {
            y = sq.mul(x);
        }
        return Recorder.record("buggyCube", y, new Tensor[] {x}, (g, needed) -> {
            try (Tensor sq = x.square(); Tensor d = sq.mul(2.0)) {
                return new Tensor[] {g.mul(d)};
            }
        });
    }

    private static Tensor cube(Tensor x) {
        Tensor y;
        try (Tensor sq = x.square()) {
            y = sq.mul(x);
        }
        return Recorder.record("cube", y, new Tensor[] {x}, (g, needed) -> {
            try (Tensor sq = x.square(); Tensor d = sq.mul(3.0)) {
                return new Tensor[] {g.mul(d)};
            }
        });
    }

    @Test
    public void aCorrectCustomOpPassesAndAPlantedBugIsCaught() {
        try (Variable w1 = new Variable("w1", randn(1, 4, 5)); Variable w2 = new Variable("w2", randn(2, 5, 1));
             Tensor x = randn(3, 6, 4); Tensor y = uniform(4, 0, 1, 6, 1)) {
            GradientCheckResult good = GradientCheck.of(() -> F.sigmoidCrossEntropy(
                    F.dense(cube(F.dense(x, w1.value(), null)), w2.value(), null), y), List.of(w1, w2)).run();
            GradientCheckResult bad = GradientCheck.of(() -> F.sigmoidCrossEntropy(
                    F.dense(buggyCube(F.dense(x, w1.value(), null)), w2.value(), null), y), List.of(w1, w2)).run();
            assertThat(good.verdict()).as(good.summary()).isEqualTo(Verdict.GOOD);
            assertThat(bad.verdict()).as(bad.summary()).isEqualTo(Verdict.BUG);
            // the bug sits below w2, so only w1's gradient is wrong
            assertThat(bad.perParameter().get("w1")).isGreaterThan(Verdict.BUG_ABOVE);
            assertThat(bad.perParameter().get("w2")).isLessThan(Verdict.GOOD_BELOW);
            assertThat(bad.worst()).isNotEmpty();
            assertThat(bad.worst().get(0).parameter()).isEqualTo("w1");
            assertThat(bad.summary()).contains("BUG").contains("w1");
        }
    }

    @Test
    public void f32ParametersAreRefused() {
        try (Variable w = new Variable("w", Tensor.zeros(backend(), DType.F32, 2))) {
            assertThatThrownBy(() -> GradientCheck.of(() -> F.sum(w.value()), List.of(w)))
                    .hasMessageContaining("F64").hasMessageContaining("'w'");
        }
    }

    @Test
    public void verdictThresholds() {
        assertThat(Verdict.of(1e-9)).isEqualTo(Verdict.GOOD);
        assertThat(Verdict.of(1e-5)).isEqualTo(Verdict.SUSPICIOUS);
        assertThat(Verdict.of(1e-2)).isEqualTo(Verdict.BUG);
        assertThat(Verdict.of(Double.NaN)).isEqualTo(Verdict.BUG);
    }
}
