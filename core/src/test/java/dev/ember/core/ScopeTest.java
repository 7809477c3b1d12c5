package dev.ember.core;

import dev.ember.core.reference.ReferenceBackend;
import dev.ember.core.spi.Backend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A scope holds only open tensors, however many are created and closed by hand inside it. */
class ScopeTest {
    private final Backend backend = new ReferenceBackend();

    @Test
    void aMillionHandClosedTensorsLeaveNothingInTheScope() {
        try (Scope scope = Scope.open()) {
            Tensor kept = Tensor.zeros(backend, DType.F32, 3);
            for (int i = 0; i < 1_000_000; i++) {
                Tensor t = Tensor.zeros(backend, DType.F32, 2);
                Tensor view = t.reshape(1, 2);
                view.close();
                t.close();
            }
            assertThat(scope.trackedTensors()).as("only the open tensor is referenced").isEqualTo(1);
            assertThat(scope.liveTensors()).isEqualTo(1);
            assertThat(kept.isClosed()).isFalse();
        }
        assertThat(backend.memory().liveBuffers()).isZero();
    }

    @Test
    void tensorsClosedOnAnotherThreadAreSweptBeforeTheScopeGrows() throws Exception {
        try (Scope scope = Scope.open()) {
            for (int round = 0; round < 100; round++) {
                Tensor[] made = new Tensor[100];
                for (int i = 0; i < made.length; i++) {
                    made[i] = Tensor.zeros(backend, DType.F64, 1);
                }
                Thread closer = Thread.ofPlatform().start(() -> {
                    for (Tensor t : made) {
                        t.close();
                    }
                });
                closer.join();
            }
            assertThat(scope.liveTensors()).isZero();
            assertThat(scope.trackedTensors()).as("at most one table's worth of closed tensors awaits a sweep")
                    .isLessThanOrEqualTo(256);
        }
        assertThat(backend.memory().liveBuffers()).isZero();
    }

    @Test
    void keepAndCloseStillWorkAfterRemovals() {
        Tensor kept;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                Tensor a = Tensor.zeros(backend, DType.F32, 1);
                Tensor b = Tensor.zeros(backend, DType.F32, 2);
                Tensor c = Tensor.zeros(backend, DType.F32, 3);
                a.close();                      // c moves into a's slot
                kept = inner.keep(c);
                assertThat(inner.trackedTensors()).isEqualTo(1);
                assertThat(outer.trackedTensors()).isEqualTo(1);
                assertThatThrownBy(() -> inner.keep(a)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("or is closed");
                assertThat(b.isClosed()).isFalse();
            }
            assertThat(kept.isClosed()).isFalse();
            assertThat(outer.liveTensors()).isEqualTo(1);
        }
        assertThat(kept.isClosed()).isTrue();
        assertThat(backend.memory().liveBuffers()).isZero();
    }
}
