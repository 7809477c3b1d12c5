package dev.ember.nn.backends;

import dev.ember.nn.ops.OpsGradientContract;

class ReferenceOpsTest extends OpsGradientContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
