package dev.ember.nn.schedule;

/** The learning rate for an epoch (counted from 0), given the initial rate. Read on the training thread. */
@FunctionalInterface
public interface LearningRateSchedule {
    double rate(double initial, int epoch);

    static LearningRateSchedule constant() {
        return (initial, epoch) -> initial;
    }
}
