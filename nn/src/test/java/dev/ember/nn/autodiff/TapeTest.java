package dev.ember.nn.autodiff;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.ops.F;
import dev.ember.nn.testing.BackendTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The tape's contract: watching, variables versus constants, single use, ownership and freeing. */
class TapeTest extends BackendTest {

    @Test
    public void trainableVariablesAreWatchedAutomaticallyConstantsAreNot() {
        try (Variable w = Variable.of("w", backend(), DType.F64, new double[] {1, 2, 3}, 3);
             Tensor c = f64(new double[] {4, 5, 6}, 3)) {
            try (GradientTape tape = new GradientTape()) {
                Tensor y = F.sum(F.mul(w.value(), c));   // y = sum(w * c)
                Tensor[] g = tape.gradient(y, w.value(), c);
                assertThat(g[0].toDoubleArray()).containsExactly(4, 5, 6);
                assertThat(g[1]).as("an unwatched constant gets no gradient").isNull();
                g[0].close();
            }
        }
    }

    @Test
    public void watchingAConstantMakesItASource() {
        try (Tensor x = f64(new double[] {1, 2, 3}, 3)) {
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                Tensor y = F.sum(F.square(x));
                try (Tensor g = tape.gradient(y, x)) {
                    assertThat(g.toDoubleArray()).containsExactly(2, 4, 6);
                }
            }
        }
    }

    @Test
    public void nonTrainableVariablesBehaveLikeConstants() {
        try (Variable frozen = new Variable("frozen", f64(new double[] {1, 2}, 2), false)) {
            try (GradientTape tape = new GradientTape()) {
                Tensor y = F.sum(F.square(frozen.value()));
                assertThat(tape.gradient(y, frozen)).isNull();
            }
            try (GradientTape tape = new GradientTape()) {
                tape.watch(frozen);
                Tensor y = F.sum(F.square(frozen.value()));
                try (Tensor g = tape.gradient(y, frozen)) {
                    assertThat(g.toDoubleArray()).containsExactly(2, 4);
                }
            }
        }
    }

    @Test
    public void aTapeIsSingleUseUnlessPersistent() {
        try (Variable w = Variable.of("w", backend(), DType.F64, new double[] {3}, 1)) {
            try (GradientTape tape = new GradientTape()) {
                Tensor y = F.sum(F.square(w.value()));
                tape.gradient(y, w).close();
                assertThatThrownBy(() -> tape.gradient(y, w)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("persistent");
            }
            try (GradientTape tape = GradientTape.persistent()) {
                Tensor y = F.sum(F.square(w.value()));
                Tensor z = F.sum(F.exp(w.value()));
                try (Tensor g1 = tape.gradient(y, w); Tensor g2 = tape.gradient(z, w)) {
                    assertThat(g1.item()).isCloseTo(6, within(1e-12));
                    assertThat(g2.item()).isCloseTo(Math.exp(3), within(1e-9));
                }
            }
        }
    }

    @Test
    public void gradientsAccumulateOverSeveralUses() {
        try (Variable x = Variable.of("x", backend(), DType.F64, new double[] {2}, 1)) {
            try (GradientTape tape = new GradientTape()) {
                // y = x*x + x + x*x*x  -> dy/dx = 2x + 1 + 3x^2 = 17 at x = 2
                Tensor xv = x.value();
                Tensor y = F.sum(F.add(F.add(F.mul(xv, xv), xv), F.mul(F.mul(xv, xv), xv)));
                try (Tensor g = tape.gradient(y, x)) {
                    assertThat(g.item()).isCloseTo(17, within(1e-12));
                }
            }
        }
    }

    @Test
    public void unconnectedSourcesGetNull() {
        try (Variable a = Variable.of("a", backend(), DType.F64, new double[] {1}, 1);
             Variable b = Variable.of("b", backend(), DType.F64, new double[] {1}, 1)) {
            try (GradientTape tape = new GradientTape()) {
                Tensor y = F.sum(F.square(a.value()));
                List<Tensor> g = tape.gradient(y, List.of(a, b));
                assertThat(g.get(1)).isNull();
                g.get(0).close();
            }
        }
    }

    @Test
    public void closingTheTapeFreesEveryIntermediate() {
        try (Variable w = Variable.of("w", backend(), DType.F64, new double[] {1, 2, 3, 4}, 2, 2);
             Tensor x = f64(new double[] {1, 0, 0, 1}, 2, 2)) {
            long before = liveBuffers();
            Tensor kept;
            try (GradientTape tape = new GradientTape()) {
                Tensor h = F.relu(F.matmul(x, w.value()));
                Tensor y = F.mean(F.softmax(h));
                kept = tape.keep(F.scale(y, 2));
                tape.gradient(y, w).close();
                assertThat(liveBuffers()).isGreaterThan(before + 2);
            }
            assertThat(liveBuffers()).isEqualTo(before + 1);
            kept.close();
            assertThat(liveBuffers()).isEqualTo(before);
        }
    }

    @Test
    public void withoutATapeTheCallerOwnsResults() {
        try (Variable w = Variable.of("w", backend(), DType.F64, new double[] {1, 2}, 2)) {
            long before = liveBuffers();
            Tensor y = F.square(w.value());
            assertThat(liveBuffers()).isEqualTo(before + 1);
            y.close();
            assertThat(liveBuffers()).isEqualTo(before);
        }
    }

    @Test
    public void variablesChangeInPlace() {
        try (Variable w = Variable.of("w", backend(), DType.F64, new double[] {1, 2}, 2);
             Tensor d = f64(new double[] {0.5, 0.5}, 2)) {
            Tensor identity = w.value();
            w.assignSub(d);
            assertThat(w.toDoubleArray()).containsExactly(0.5, 1.5);
            w.assign(new double[] {7, 8});
            assertThat(w.value()).isSameAs(identity);
            assertThat(w.toDoubleArray()).containsExactly(7, 8);
        }
    }

    @Test
    public void opsOnlyOnConstantsAreNotRecorded() {
        try (Tensor x = f64(new double[] {1, 2}, 2)) {
            try (GradientTape tape = new GradientTape()) {
                Tensor y = F.sum(F.square(x));
                assertThat(tape.size()).isZero();
                assertThat(tape.gradient(y, x)).isNull();
            }
        }
    }

    @Test
    public void tapesMustBeClosedInnermostFirst() {
        GradientTape outer = new GradientTape();
        GradientTape inner = new GradientTape();
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class);
        inner.close();
        outer.close();
    }
}
