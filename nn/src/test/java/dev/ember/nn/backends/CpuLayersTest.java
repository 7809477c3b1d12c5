package dev.ember.nn.backends;

import dev.ember.nn.layers.LayersGradientContract;

/** LayersGradientContract on the cpu backend. */
class CpuLayersTest extends LayersGradientContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
