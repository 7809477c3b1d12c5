package dev.ember.nn.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SchedulesTest {
    @Test
    void inverseTimeDecayEveryEpochAndAtIntervals() {
        assertThat(new InverseTimeDecay(1).rate(0.5, 0)).isEqualTo(0.5);
        assertThat(new InverseTimeDecay(1).rate(0.5, 1)).isEqualTo(0.25);
        assertThat(new InverseTimeDecay(0.5).rate(1, 4)).isCloseTo(1 / 3.0, within(1e-15));
        InverseTimeDecay everyThousand = new InverseTimeDecay(1, 1000);
        assertThat(everyThousand.rate(0.1, 999)).isEqualTo(0.1);
        assertThat(everyThousand.rate(0.1, 1000)).isEqualTo(0.05);
        assertThat(everyThousand.rate(0.1, 4999)).isCloseTo(0.1 / 5, within(1e-15));
    }

    @Test
    void exponentialAndStepDecay() {
        assertThat(new ExponentialDecay(0.95).rate(0.1, 2)).isCloseTo(0.1 * 0.9025, within(1e-15));
        assertThat(new StepDecay(0.5, 10).rate(1, 9)).isEqualTo(1);
        assertThat(new StepDecay(0.5, 10).rate(1, 25)).isEqualTo(0.25);
        assertThat(LearningRateSchedule.constant().rate(0.3, 100)).isEqualTo(0.3);
    }

    @Test
    void cosineDecayWarmsUpLinearlyThenFallsAlongHalfACosineToItsFloor() {
        CosineDecay schedule = new CosineDecay(4, 10, 0.1);
        // warm-up: 1/4, 2/4, 3/4, 4/4 of the initial rate
        assertThat(schedule.rate(0.8, 0)).isCloseTo(0.2, within(1e-15));
        assertThat(schedule.rate(0.8, 2)).isCloseTo(0.6, within(1e-15));
        assertThat(schedule.rate(0.8, 3)).isCloseTo(0.8, within(1e-15));
        // the cosine starts at the initial rate, passes the midpoint halfway, ends on the floor and stays
        assertThat(schedule.rate(0.8, 4)).isCloseTo(0.8, within(1e-15));
        assertThat(schedule.rate(0.8, 9)).isCloseTo(0.8 * (0.1 + 0.9 * 0.5), within(1e-15));
        assertThat(schedule.rate(0.8, 14)).isCloseTo(0.08, within(1e-15));
        assertThat(schedule.rate(0.8, 100)).isCloseTo(0.08, within(1e-15));
        for (int e = 4; e < 14; e++) {
            assertThat(schedule.rate(0.8, e + 1)).as("decreasing at epoch %d", e).isLessThan(schedule.rate(0.8, e));
        }
        assertThat(new CosineDecay(2).rate(1, 1)).isCloseTo(0.5, within(1e-15));
        assertThat(new CosineDecay(2).rate(1, 2)).isCloseTo(0, within(1e-15));
    }

    @Test
    void cosineDecayRefusesBadSettingsWithTheValue() {
        assertThatThrownBy(() -> new CosineDecay(-1, 10, 0)).hasMessage("cosineDecay: warmupEpochs must be >= 0, got -1");
        assertThatThrownBy(() -> new CosineDecay(0, 0, 0)).hasMessage("cosineDecay: decayEpochs must be >= 1, got 0");
        assertThatThrownBy(() -> new CosineDecay(0, 5, 1.5)).hasMessage("cosineDecay: floor must be in [0, 1], got 1.5");
    }
}
