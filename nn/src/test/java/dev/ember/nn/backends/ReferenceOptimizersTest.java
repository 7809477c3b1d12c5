package dev.ember.nn.backends;

import dev.ember.nn.optim.OptimizerContract;

/** OptimizerContract on the reference backend. */
class ReferenceOptimizersTest extends OptimizerContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
