package dev.ember.nn.backends;

import dev.ember.nn.autodiff.TapeContract;

/** TapeContract on the reference backend. */
class ReferenceTapeTest extends TapeContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
