package dev.ember.cpu;

import dev.ember.core.conformance.BackendConformance;

/** Runs the whole backend conformance suite from core's test-jar against the CPU backend. */
class CpuConformanceTest implements BackendConformance {
    @Override
    public String backendName() {
        return "cpu";
    }
}
