package dev.ember.nn.backends;

import dev.ember.nn.train.TrainingContract;

class CpuTrainingTest extends TrainingContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
