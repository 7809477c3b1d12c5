package dev.ember.nn.backends;

import dev.ember.nn.train.TrainingContract;

class ReferenceTrainingTest extends TrainingContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
