package dev.ember.nn.backends;

import dev.ember.nn.ops.OpsGradientContract;

class CpuOpsTest extends OpsGradientContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
