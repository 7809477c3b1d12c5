package dev.ember.nn.backends;

import dev.ember.nn.data.DataContract;

/** DataContract on the opencl backend. */
class OpenClDataTest extends DataContract {
    @Override
    protected String backendName() {
        return "opencl";
    }
}
