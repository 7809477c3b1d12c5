package dev.ember.nn.backends;

import dev.ember.nn.layers.InitializersContract;

/** InitializersContract on the reference backend. */
class ReferenceInitializersTest extends InitializersContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
