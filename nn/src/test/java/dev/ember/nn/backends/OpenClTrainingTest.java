package dev.ember.nn.backends;

import dev.ember.nn.train.TrainingContract;

/** TrainingContract on the opencl backend. */
class OpenClTrainingTest extends TrainingContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
