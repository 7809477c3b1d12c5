package dev.ember.core.reference;

import dev.ember.core.conformance.BackendConformance;

/** The whole conformance kit on the reference backend: the primitives plus every composed default. */
class ReferenceConformanceTest implements BackendConformance {
    @Override
    public String backendName() {
        return ReferenceBackendProvider.NAME;
    }
}
