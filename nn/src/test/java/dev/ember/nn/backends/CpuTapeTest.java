package dev.ember.nn.backends;

import dev.ember.nn.autodiff.TapeContract;

/** TapeContract on the cpu backend. */
class CpuTapeTest extends TapeContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
