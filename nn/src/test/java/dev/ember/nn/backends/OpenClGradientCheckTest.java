package dev.ember.nn.backends;

import dev.ember.nn.check.GradientCheckContract;

/** GradientCheckContract on the opencl backend. */
class OpenClGradientCheckTest extends GradientCheckContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
