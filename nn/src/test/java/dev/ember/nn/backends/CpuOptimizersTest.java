package dev.ember.nn.backends;

import dev.ember.nn.optim.OptimizerContract;

/** OptimizerContract on the cpu backend. */
class CpuOptimizersTest extends OptimizerContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
