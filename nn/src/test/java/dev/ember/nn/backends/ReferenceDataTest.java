package dev.ember.nn.backends;

import dev.ember.nn.data.DataContract;

/** DataContract on the reference backend. */
class ReferenceDataTest extends DataContract {
    @Override
    protected String backendName() {
        return "reference";
    }
}
