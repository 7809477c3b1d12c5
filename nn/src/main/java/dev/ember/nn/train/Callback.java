package dev.ember.nn.train;

import java.util.Map;

/** Hooks into {@code fit}; every method has an empty default. */
public interface Callback {
    default void onTrainBegin(int epochs, int stepsPerEpoch) {
    }

    /** Called after each epoch with that epoch's logs ({@code loss}, metrics, {@code val_*}, {@code lr}). */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /** Asked after each epoch: true stops training (early stopping). */
    default boolean stopTraining() {
        return false;
    }

    default void onTrainEnd(History history) {
    }
}
