package dev.ember.nn.diagnosis;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The four textbook cases (human error about 0 unless said) and the error checks. */
class BiasVarianceTest {
    @Test
    void highVariance() {
        BiasVariance.Diagnosis d = BiasVariance.diagnose(0.0, 0.01, 0.11);
        assertThat(d.problem()).isEqualTo(BiasVariance.Problem.HIGH_VARIANCE);
        assertThat(d.variance()).isCloseTo(0.10, within(1e-12));
        assertThat(d.remedies().get(0)).contains("more training data");
        assertThat(d.summary()).contains("high variance").contains("regularisation");
    }

    @Test
    void highBias() {
        BiasVariance.Diagnosis d = BiasVariance.diagnose(0.0, 0.15, 0.16);
        assertThat(d.problem()).isEqualTo(BiasVariance.Problem.HIGH_BIAS);
        assertThat(d.avoidableBias()).isCloseTo(0.15, within(1e-12));
        assertThat(d.remedies().get(0)).contains("bigger network");
    }

    @Test
    void both() {
        BiasVariance.Diagnosis d = BiasVariance.diagnose(0.0, 0.15, 0.35);
        assertThat(d.problem()).isEqualTo(BiasVariance.Problem.BOTH);
        assertThat(d.remedies().get(0)).contains("more training data");   // the larger gap (variance) first
        assertThat(BiasVariance.diagnose(0.0, 0.25, 0.30).remedies().get(0)).contains("bigger network");
    }

    @Test
    void neitherAndTheBaselineMatters() {
        assertThat(BiasVariance.diagnose(0.0, 0.005, 0.01).problem()).isEqualTo(BiasVariance.Problem.NEITHER);
        // 15% train error is fine when humans get 14.5% wrong: then it is the 8-point gap to dev that matters
        assertThat(BiasVariance.diagnose(0.145, 0.15, 0.23).problem()).isEqualTo(BiasVariance.Problem.HIGH_VARIANCE);
        BiasVariance.Diagnosis fashion = BiasVariance.fromAccuracies(0.835, 0.93, 0.90);
        assertThat(fashion.avoidableBias()).isCloseTo(-0.095, within(1e-12));
        assertThat(fashion.problem()).isEqualTo(BiasVariance.Problem.HIGH_VARIANCE);
        assertThat(BiasVariance.fromAccuracies(0.835, 0.90, 0.895).remedies().get(0)).contains("below the baseline");
    }

    @Test
    void errorsOutsideZeroToOneAreRefused() {
        assertThatThrownBy(() -> BiasVariance.diagnose(0, 1.5, 0.1)).hasMessageContaining("trainError");
        assertThatThrownBy(() -> BiasVariance.diagnose(Double.NaN, 0.1, 0.1)).hasMessageContaining("baselineError");
    }
}
