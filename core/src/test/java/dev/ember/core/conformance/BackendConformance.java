package dev.ember.core.conformance;

/**
 * The whole backend conformance suite. A backend module runs it with one test class:
 * <pre>{@code
 * class CpuConformanceTest implements BackendConformance {
 *     public String backendName() { return "cpu"; }
 * }
 * }</pre>
 * and CI adds {@code -Dember.require=NAME} so that an unavailable backend fails instead of skipping.
 */
public interface BackendConformance extends GemmConformance, ElementwiseConformance, ReductionConformance,
        ActivationConformance, BatchNormConformance, RandomConformance, OptimizerConformance, MemoryConformance,
        TensorApiConformance, DerivedOpsConformance, SpecialValuesConformance, ExpressionConformance,
        TensorWriteConformance, TracingConformance, FlightRecorderConformance, MemorySafetyConformance {
}
