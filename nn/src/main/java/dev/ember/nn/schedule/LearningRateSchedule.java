package dev.ember.nn.schedule;

/** The learning rate for an epoch (counted from 0), given the initial rate. */
@FunctionalInterface
public interface LearningRateSchedule {
    double rate(double initial, int epoch);

    static LearningRateSchedule constant() {
        return (initial, epoch) -> initial;
    }
}
