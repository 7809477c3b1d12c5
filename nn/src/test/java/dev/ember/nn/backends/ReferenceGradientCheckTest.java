package dev.ember.nn.backends;

import dev.ember.nn.check.GradientCheckContract;

/** GradientCheckContract on the reference backend. */
class ReferenceGradientCheckTest extends GradientCheckContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
