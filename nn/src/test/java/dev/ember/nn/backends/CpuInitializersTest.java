package dev.ember.nn.backends;

import dev.ember.nn.layers.InitializersContract;

/** InitializersContract on the cpu backend. */
class CpuInitializersTest extends InitializersContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
