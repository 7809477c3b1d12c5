package dev.ember.nn.backends;

import dev.ember.nn.train.TrainingContract;

/** TrainingContract on the reference backend. */
class ReferenceTrainingTest extends TrainingContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
