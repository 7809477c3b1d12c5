package dev.ember.nn.backends;

import dev.ember.nn.check.GradientCheckContract;

/** GradientCheckContract on the cpu backend. */
class CpuGradientCheckTest extends GradientCheckContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
