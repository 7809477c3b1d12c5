package dev.ember.nn.backends;

import dev.ember.nn.autodiff.TapeContract;

class ReferenceTapeTest extends TapeContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
