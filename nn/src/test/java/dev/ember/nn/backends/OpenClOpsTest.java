package dev.ember.nn.backends;

import dev.ember.nn.ops.OpsGradientContract;

/** OpsGradientContract on the opencl backend. */
class OpenClOpsTest extends OpsGradientContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
