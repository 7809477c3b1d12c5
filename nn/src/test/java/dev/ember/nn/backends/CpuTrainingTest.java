package dev.ember.nn.backends;

import dev.ember.nn.train.TrainingContract;

/** TrainingContract on the cpu backend. */
class CpuTrainingTest extends TrainingContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
