package dev.ember.nn.backends;

import dev.ember.nn.ops.OpsGradientContract;

/** OpsGradientContract on the reference backend. */
class ReferenceOpsTest extends OpsGradientContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
