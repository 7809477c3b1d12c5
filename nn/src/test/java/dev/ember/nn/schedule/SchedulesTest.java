package dev.ember.nn.schedule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
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
}
