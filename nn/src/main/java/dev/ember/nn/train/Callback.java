package dev.ember.nn.train;

import java.util.Map;

/** Hooks into {@code fit}; every method has an empty default. Called on the training thread only. */
public interface Callback {
    /** Called first by {@code fit} with the model it trains (checkpoints and early stopping need it). */
    default void setModel(dev.ember.nn.model.Model model) {
    }

    default void onTrainBegin(int epochs, int stepsPerEpoch) {
    }

    /**
     * Called after each epoch (counted from 0, or from {@code FitOptions.initialEpoch}) with that
     * epoch's logs, whose keys are {@link History}'s: {@code loss}, metric names, {@code val_*}, {@code lr}.
     */
    default void onEpochEnd(int epoch, Map<String, Double> logs) {
    }

    /** Asked after each epoch: true stops training (early stopping). */
    default boolean stopTraining() {
        return false;
    }

    default void onTrainEnd(History history) {
    }
}
