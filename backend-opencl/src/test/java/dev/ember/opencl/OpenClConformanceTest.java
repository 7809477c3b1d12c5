package dev.ember.opencl;

import dev.ember.core.conformance.BackendConformance;

/**
 * Runs the whole backend conformance suite from core's test-jar against the OpenCL backend. The
 * suite uses the device {@code auto} rules pick ({@code -Dember.opencl.device} overrides); CI passes
 * {@code -Dember.require=opencl} so a missing driver fails instead of skipping.
 */
class OpenClConformanceTest implements BackendConformance {
    @Override
    public String backendName() {
        return "opencl";
    }
}
