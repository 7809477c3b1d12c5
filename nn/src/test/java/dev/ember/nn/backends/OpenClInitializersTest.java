package dev.ember.nn.backends;

import dev.ember.nn.layers.InitializersContract;

/** InitializersContract on the opencl backend. */
class OpenClInitializersTest extends InitializersContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
