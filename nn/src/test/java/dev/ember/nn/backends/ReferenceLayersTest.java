package dev.ember.nn.backends;

import dev.ember.nn.layers.LayersGradientContract;

/** LayersGradientContract on the reference backend. */
class ReferenceLayersTest extends LayersGradientContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
