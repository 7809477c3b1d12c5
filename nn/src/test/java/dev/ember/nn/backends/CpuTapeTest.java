package dev.ember.nn.backends;

import dev.ember.nn.autodiff.TapeContract;

class CpuTapeTest extends TapeContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
