/**
 * The CPU backend: Vector API kernels and a packed GEMM. Users never import it; it is found as a
 * {@link dev.ember.core.spi.BackendProvider} (and through {@code META-INF/services} on the class path).
 */
module dev.ember.cpu {
    requires transitive dev.ember.core;   // CpuBackend (exported) implements core's SPI types
    requires jdk.incubator.vector;   // the incubating Vector API: its classes need it resolved

    exports dev.ember.cpu;

    provides dev.ember.core.spi.BackendProvider with dev.ember.cpu.CpuBackendProvider;
}
