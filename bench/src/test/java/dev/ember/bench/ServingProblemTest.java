package dev.ember.bench;

import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Both APIs of the serving benchmark compute the same softmax probabilities on the CPU backend. */
class ServingProblemTest {
    @Test
    void predictIntoAndPredictGiveTheSameProbabilities() {
        try (Backend backend = BenchBackends.open("cpu", 1);
             ServingProblem problem = new ServingProblem(backend, 3)) {
            problem.run(ServingProblem.Api.PREDICT);
            float[] viaTensor = problem.out().clone();
            problem.run(ServingProblem.Api.PREDICT_INTO);
            float[] served = problem.out();

            assertThat(served).hasSize(3 * 10).containsExactly(viaTensor);
            for (int r = 0; r < 3; r++) {
                double sum = 0;
                for (int k = 0; k < 10; k++) {
                    assertThat(served[r * 10 + k]).isBetween(0f, 1f);
                    sum += served[r * 10 + k];
                }
                assertThat(sum).isCloseTo(1, within(1e-5));
            }
            assertThat(problem.flops()).isEqualTo(2.0 * 3 * (784 * 256 + 256 * 128 + 128 * 10));
        }
    }

    @Test
    void apiNamesAndBadBatches() {
        assertThat(ServingProblem.Api.parse("predictinto")).isEqualTo(ServingProblem.Api.PREDICT_INTO);
        assertThat(ServingProblem.Api.parse(" predict ")).isEqualTo(ServingProblem.Api.PREDICT);
        assertThatThrownBy(() -> ServingProblem.Api.parse("call"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown api 'call' (predictInto, predict)");
        try (Backend backend = BenchBackends.open("cpu", 1)) {
            assertThatThrownBy(() -> new ServingProblem(backend, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("ServingProblem: batch must be >= 1, got 0");
        }
    }
}
