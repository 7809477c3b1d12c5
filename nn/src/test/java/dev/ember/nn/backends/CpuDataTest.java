package dev.ember.nn.backends;

import dev.ember.nn.data.DataContract;

/** DataContract on the cpu backend. */
class CpuDataTest extends DataContract {
    @Override
    protected String backendName() {
        return "cpu";
    }
}
