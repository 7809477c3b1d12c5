package dev.ember.nn.backends;

import dev.ember.nn.ops.OpsGradientContract;

/** OpsGradientContract on the cpu backend. */
class CpuOpsTest extends OpsGradientContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
