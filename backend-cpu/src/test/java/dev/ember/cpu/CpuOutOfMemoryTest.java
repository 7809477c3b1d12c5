package dev.ember.cpu;

import dev.ember.core.DType;
import dev.ember.core.OutOfDeviceMemoryException;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CPU backend's buffers are Java arrays: a heap that cannot hold one is an OutOfDeviceMemoryException, not an Error. */
class CpuOutOfMemoryTest {
    @Test
    void anArrayBeyondTheHeapIsAClearExceptionAndTheBackendStaysUsable() {
        long bytes = (long) Integer.MAX_VALUE * 8;
        assertThat(Runtime.getRuntime().maxMemory()).as("the test JVM's heap (-Xmx) is below %d bytes", bytes)
                .isLessThan(bytes);
        CpuBackend be = new CpuBackend(1);
        try (Scope _ = Scope.open()) {
            assertThatThrownBy(() -> Tensor.zeros(be, DType.F64, Integer.MAX_VALUE))
                    .isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("allocate: cpu is out of memory: asked for " + bytes + " bytes")
                    .hasMessageContaining(" free (limit: the Java heap, -Xmx ")
                    .hasCauseInstanceOf(OutOfMemoryError.class);
            assertThat(be.memory().liveBuffers()).isZero();
            Tensor a = Tensor.of(be, DType.F64, new double[] {1, 2, 3, 4}, 2, 2);
            assertThat(a.matmul(a).toDoubleArray()).containsExactly(7, 10, 15, 22);
        } finally {
            be.close();
        }
    }
}
