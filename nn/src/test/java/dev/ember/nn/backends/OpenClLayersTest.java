package dev.ember.nn.backends;

import dev.ember.nn.layers.LayersGradientContract;

/** LayersGradientContract on the opencl backend. */
class OpenClLayersTest extends LayersGradientContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
