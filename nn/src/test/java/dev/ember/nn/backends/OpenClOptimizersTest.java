package dev.ember.nn.backends;

import dev.ember.nn.optim.OptimizerContract;

/** OptimizerContract on the opencl backend. */
class OpenClOptimizersTest extends OptimizerContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
