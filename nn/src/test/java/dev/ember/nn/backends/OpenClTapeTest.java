package dev.ember.nn.backends;

import dev.ember.nn.autodiff.TapeContract;

/** TapeContract on the opencl backend. */
class OpenClTapeTest extends TapeContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
