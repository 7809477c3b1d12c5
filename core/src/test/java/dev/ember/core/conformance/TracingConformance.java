package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Elementwise;
import dev.ember.core.LiveScalar;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.core.Updates;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.MemoryStats;
import dev.ember.core.trace.Plan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

import static dev.ember.core.conformance.Host.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Traced functions ({@link Tracing#function}): a replay computes what the body computes eagerly,
 * with the calls' inputs changed each time; a new signature traces again; Java decisions are frozen
 * while {@link LiveScalar}s are read at every replay; temporaries are zeroed where the body relied
 * on fresh zeros, share memory by liveness, and are freed by {@code close}.
 */
public interface TracingConformance extends ConformanceBase {

    /**
     * A dense layer and a loss-like tail, built of operations that round correctly (so fusion cannot
     * change a bit): {@code h = max(x W + b, 0)}, {@code out = sum_rows((h - 0.5) * (h - 0.5) * 0.25)},
     * plus an accumulation into fresh zeros.
     */
    private static Tensor[] denseBody(Tensor[] in, Tensor w, Tensor b) {
        try (Scope scope = Scope.open()) {
            Tensor h = in[0].matmul(w).add(b).clampMin(0);
            Tensor centred = h.add(-0.5);
            Tensor loss = centred.mul(centred).mul(0.25).sum(0);
            Tensor acc = Tensor.zeros(h.backend(), h.dtype(), h.shape());
            Elementwise.binaryInto(BinaryOp.ADD, acc, h, acc);   // relies on acc starting at zero
            Elementwise.binaryInto(BinaryOp.ADD, acc, h, acc);
            return new Tensor[] {scope.keep(loss), scope.keep(acc)};
        }
    }

    private Tensor input(DType dt, long seed) {
        return Host.tensor(backend(), dt, Host.eighths(seed, 6 * 5, 2), 6, 5);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void replaysComputeWhatTheBodyComputesEagerlyBitForBit(DType dt) {
        Tensor w = Host.tensor(backend(), dt, Host.eighths(1, 5 * 4, 1), 5, 4);
        Tensor b = Host.tensor(backend(), dt, Host.eighths(2, 4, 1), 4);
        Function<Tensor[], Tensor[]> body = in -> denseBody(in, w, b);
        try (TracedFunction f = Tracing.function("dense", body)) {
            for (long seed = 10; seed < 14; seed++) {
                Tensor x = input(dt, seed);
                Tensor[] traced = f.call(x);
                Tensor[] eager = body.apply(new Tensor[] {x});
                for (int k = 0; k < eager.length; k++) {
                    Host.assertExact("output " + k + " of call " + (seed - 10), values(eager[k]), values(traced[k]));
                }
            }
            assertThat(f.traceCount()).isEqualTo(1);
            Plan.Stats s = f.plans().get(0);
            assertThat(s.fusedCalls()).as("the add / clamp and the centring chain are fused").isGreaterThan(0);
            assertThat(s.calls()).isLessThan(s.recordedCalls() + s.zeroFills());
            assertThat(s.zeroFills()).as("the accumulator relied on starting at zero").isGreaterThanOrEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void transcendentalChainsAgreeWithEagerWithinTolerance(DType dt) {
        Function<Tensor[], Tensor[]> body = in -> {
            try (Scope scope = Scope.open()) {
                Tensor p = in[0].neg().exp().add(1).reciprocal();            // sigmoid, by hand
                Tensor loss = p.log().mul(in[1]).add(p.mul(-1).add(1).log().mul(in[1].mul(-1).add(1)));
                return new Tensor[] {scope.keep(loss.mean().mul(-1)), scope.keep(p.tanh())};
            }
        };
        try (TracedFunction f = Tracing.function("bce", body)) {
            for (long seed = 0; seed < 3; seed++) {
                Tensor x = Host.tensor(backend(), dt, Host.uniform(dt, seed, 40, -3, 3), 8, 5);
                Tensor y = Host.tensor(backend(), dt, Host.eighths(seed + 7, 40, 1), 8, 5).clampMin(0);
                Tensor[] traced = f.call(x, y);
                Tensor[] eager = body.apply(new Tensor[] {x, y});
                for (int k = 0; k < eager.length; k++) {
                    Host.assertClose("output " + k, values(eager[k]), values(traced[k]), Host.rtol(dt), Host.rtol(dt));
                }
            }
            assertThat(f.plans().get(0).fusedCalls()).isGreaterThan(0);
        }
    }

    @Test
    default void aNewSignatureTracesAgainAndAKnownOneDoesNot() {
        Function<Tensor[], Tensor[]> body = in -> new Tensor[] {in[0].mul(2)};
        try (TracedFunction f = Tracing.function("double", body)) {
            f.call(Tensor.zeros(backend(), DType.F32, 3, 2));
            f.call(Tensor.zeros(backend(), DType.F32, 3, 2));
            assertThat(f.traceCount()).isEqualTo(1);
            f.call(Tensor.zeros(backend(), DType.F32, 4, 2));   // new shape
            f.call(Tensor.zeros(backend(), DType.F64, 4, 2));   // new dtype
            f.call(Tensor.zeros(backend(), DType.F32, 3, 2));   // seen before
            assertThat(f.traceCount()).isEqualTo(3);
            Tensor out = f.call(Host.tensor(backend(), DType.F32, new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 4, 2))[0];
            assertThat(values(out)).containsExactly(2, 4, 6, 8, 10, 12, 14, 16);
        }
    }

    @Test
    default void runReplaysIntoTheOutputsAnEarlierCallReturned() {
        try (TracedFunction f = Tracing.function("triple", in -> new Tensor[] {in[0].mul(3)})) {
            Tensor x = Host.tensor(backend(), DType.F32, new double[] {1, 2}, 2);
            Tensor out = f.call(x)[0];
            assertThat(f.run(x)).as("a replay").isFalse();
            x.copyFrom(new float[] {5, -1});
            assertThat(f.run(x)).isFalse();
            assertThat(out.copyInto(new float[2])).containsExactly(15f, -3f);
            assertThat(f.run(Host.tensor(backend(), DType.F32, new double[] {1, 2, 3}, 3))).as("a new signature traces")
                    .isTrue();
            assertThat(f.traceCount()).isEqualTo(2);
            assertThat(values(out)).as("the first signature's output is untouched by the second's trace")
                    .containsExactly(15, -3);
        }
    }

    @Test
    default void aReluInsideAnElementwiseRunIsFusedAndKeepsItsSpecialValues() {
        Function<Tensor[], Tensor[]> body = in -> {
            try (Scope scope = Scope.open()) {
                return new Tensor[] {scope.keep(in[0].mul(2).relu().add(1))};
            }
        };
        double[] x = {-1, 3, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, 0.25};
        try (TracedFunction f = Tracing.function("relu run", body)) {
            Tensor in = Host.tensor(backend(), DType.F64, x, 6);
            double[] eager = values(body.apply(new Tensor[] {in})[0]);
            f.call(in);
            assertThat(values(f.call(in)[0])).as("replay").containsExactly(eager);
            assertThat(eager).containsExactly(1, 7, 1, Double.NaN, 1, 1.5);
            assertThat(f.profile(1)).as("mul, relu and add in one evaluate").hasSize(1);
        }
    }

    @Test
    default void aColumnRunWithABroadcastBiasFusesIntoOneCall() {
        Tensor bias = Host.tensor(backend(), DType.F64, new double[] {0.5}, 1);
        Function<Tensor[], Tensor[]> body = in -> {   // a one-unit layer's logits: [batch, 1] plus a [1] bias
            try (Scope scope = Scope.open()) {
                return new Tensor[] {scope.keep(in[0].add(bias).mul(3).relu())};
            }
        };
        try (TracedFunction f = Tracing.function("column", body)) {
            Tensor in = Host.tensor(backend(), DType.F64, new double[] {-2, -0.5, 0, 1.5}, 4, 1);
            f.call(in);
            assertThat(values(f.call(in)[0])).containsExactly(0, 0, 1.5, 6);
            assertThat(f.profile(1)).as("add, mul and relu over a column in one evaluate").hasSize(1);
        }
    }

    @Test
    default void aConstantFillIsDoneOnceAndAFillLaterWrittenIsRedoneEveryReplay() {
        Function<Tensor[], Tensor[]> body = in -> {
            try (Scope scope = Scope.open()) {
                Tensor twos = Tensor.full(in[0].backend(), DType.F64, 2, 3);   // filled, then only read: a constant
                Tensor acc = Tensor.full(in[0].backend(), DType.F64, 1, 3);    // filled, then accumulated into
                Elementwise.binaryInto(BinaryOp.ADD, acc, in[0], acc);
                return new Tensor[] {scope.keep(in[0].mul(twos).add(acc)), scope.keep(acc)};
            }
        };
        try (TracedFunction f = Tracing.function("constants", body)) {
            for (double[] x : new double[][] {{1, 2, 3}, {-1, 0, 4}, {5, 5, 5}, {0, 0, 0}}) {
                Tensor[] out = f.call(Host.tensor(backend(), DType.F64, x, 3));
                assertThat(values(out[0])).as("3x + 1 at %s", java.util.Arrays.toString(x))
                        .containsExactly(3 * x[0] + 1, 3 * x[1] + 1, 3 * x[2] + 1);
                assertThat(values(out[1])).as("x + 1 at %s", java.util.Arrays.toString(x))
                        .containsExactly(x[0] + 1, x[1] + 1, x[2] + 1);
            }
            assertThat(f.profile(1)).as("the constant's fill left the replay, the accumulator's stayed")
                    .filteredOn(e -> e.getKey().startsWith("fill")).hasSize(1);
        }
    }

    @Test
    default void boundInputsAreFilledByTheCallerAndNotCopied() {
        try (TracedFunction f = Tracing.function("bound", in -> new Tensor[] {in[0].mul(2)})) {
            assertThatThrownBy(f::boundInputs).isInstanceOf(IllegalStateException.class)
                    .hasMessage("trace 'bound': boundInputs before the first call");
            Tensor out = f.call(Host.tensor(backend(), DType.F32, new double[] {1, 2}, 2))[0];
            Tensor slot = f.boundInputs()[0];
            slot.copyFrom(new float[] {4, -3});
            assertThat(f.run(slot)).isFalse();
            assertThat(values(out)).containsExactly(8, -6);
            slot.copyFrom(new float[] {0.5f, 1});
            f.run(slot);
            assertThat(values(out)).containsExactly(1, 2);
            assertThat(values(f.call(Host.tensor(backend(), DType.F32, new double[] {3, 3}, 2))[0]))
                    .as("any other input is still copied in").containsExactly(6, 6);
            slot.close();
        }
    }

    @Test
    default void javaBranchesAreFrozenAtTraceTime() {
        boolean[] negate = {false};
        try (TracedFunction f = Tracing.function("branch", in -> new Tensor[] {negate[0] ? in[0].neg() : in[0].mul(1)})) {
            Tensor x = Host.tensor(backend(), DType.F64, new double[] {1, -2}, 2);
            assertThat(values(f.call(x)[0])).containsExactly(1, -2);
            negate[0] = true;   // a replay does not run the body's Java code
            assertThat(values(f.call(x)[0])).containsExactly(1, -2);
        }
    }

    @Test
    default void liveScalarsAdvancedEveryCallAreReadAtEveryReplay() {
        Tensor p = Host.tensor(backend(), DType.F64, new double[] {0, 0}, 2);
        Tensor g = Host.tensor(backend(), DType.F64, new double[] {1, -1}, 2);
        int[] steps = {0};
        LiveScalar lr = LiveScalar.of(1.0);
        double frozen = 0.5;
        try (TracedFunction f = Tracing.function("sgd", in -> {
            Tracing.everyCall(() -> lr.set((double) ++steps[0]));   // 1, 2, 3, ...
            Updates.sgd(p, in[0], lr);                              // p -= steps * g
            Updates.sgd(p, in[0], frozen);                          // p -= 0.5 * g, a plain double: frozen
            return null;
        })) {
            for (int i = 0; i < 3; i++) {
                f.call(g);
            }
            assertThat(steps[0]).isEqualTo(3);
            assertThat(values(p)).containsExactly(-(1 + 2 + 3 + 1.5), 1 + 2 + 3 + 1.5);
        }
    }

    @Test
    default void aLiveStreamDrawsNewNumbersAtEveryReplay() {
        LiveScalar stream = LiveScalar.of(100L);
        try (TracedFunction f = Tracing.function("noise", in -> {
            Tracing.everyCall(() -> stream.set(stream.longValue() + 1));
            Tensor r = Tensor.random(backend(), DType.F32, Distribution.UNIFORM, 0, 1, 7, stream, 16);
            return new Tensor[] {r};
        })) {
            Tensor x = Tensor.zeros(backend(), DType.F32, 1);
            for (long expected = 101; expected <= 103; expected++) {
                double[] drawn = values(f.call(x)[0]);
                double[] reference = values(Tensor.random(backend(), DType.F32, Distribution.UNIFORM, 0, 1, 7, expected, 16));
                assertThat(drawn).as("stream " + expected).containsExactly(reference);
            }
        }
    }

    @Test
    default void readingDeviceValuesInsideATraceFailsClearlyAndLeaksNothing() {
        Backend be = backend();
        MemoryStats before = be.memory();
        try (Scope _ = Scope.open();
             TracedFunction f = Tracing.function("peek", in -> {
                 try (Tensor doubled = in[0].mul(2)) {
                     double v = doubled.sum().item();
                     return new Tensor[] {in[0].mul(v)};
                 }
             })) {
            Tensor x = Tensor.zeros(be, DType.F32, 3);
            assertThatThrownBy(() -> f.call(x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("trace 'peek'").hasMessageContaining("cannot read device values");
            assertThat(f.traceCount()).isZero();
        }
        assertThat(be.memory().liveBuffers()).isEqualTo(before.liveBuffers());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(DType.class)
    default void temporariesShareBuffersAndCloseFreesThemAll(DType dt) {
        Backend be = backend();
        MemoryStats before = be.memory();
        try (Scope _ = Scope.open()) {
            Tensor w = Host.tensor(be, dt, Host.eighths(3, 8 * 8, 1), 8, 8);
            Function<Tensor[], Tensor[]> body = in -> {
                Tensor h = in[0];
                for (int layer = 0; layer < 6; layer++) {   // each product dies after the next one is made
                    Tensor next = h.matmul(w);
                    if (h != in[0]) {
                        h.close();
                    }
                    h = next;
                }
                return new Tensor[] {h};
            };
            TracedFunction f = Tracing.function("chain", body);
            Tensor x = Host.tensor(be, dt, Host.eighths(4, 8 * 8, 1), 8, 8);
            f.call(x);
            Host.assertExact("replay", values(body.apply(new Tensor[] {x})[0]), values(f.call(x)[0]));
            Plan.Stats s = f.plans().get(0);
            assertThat(s.temporaries()).isEqualTo(5);
            assertThat(s.buffers()).as("ping-pong between two buffers").isEqualTo(2);
            f.close();
        }
        assertThat(be.memory().liveBuffers()).isEqualTo(before.liveBuffers());
    }

    @Test
    default void callsInsideShortScopesKeepTheTracesBuffersAlive() {
        Backend be = backend();
        MemoryStats before = be.memory();
        Tensor w = Host.tensor(be, DType.F64, new double[] {1, 2, 3, 4}, 2, 2);
        try (TracedFunction f = Tracing.function("scoped", in -> new Tensor[] {in[0].matmul(w).add(1)})) {
            for (int call = 0; call < 3; call++) {
                try (Scope _ = Scope.open()) {   // closes what each call returns, not the trace's buffers
                    Tensor x = Host.tensor(be, DType.F64, new double[] {call, 1, 0, call}, 2, 2);
                    assertThat(values(f.call(x)[0])).containsExactly(call + 4, 2 * call + 5, 3 * call + 1, 4 * call + 1);
                }
            }
            assertThat(f.traceCount()).isEqualTo(1);
        }
        w.close();
        assertThat(be.memory().liveBuffers()).isEqualTo(before.liveBuffers());
    }

    @Test
    default void unscopedTensorsOutliveTheScopeAroundThem() {
        Scope scope = Scope.open();
        Tensor kept = Scope.unscoped(() -> Tensor.zeros(backend(), DType.F32, 3));
        Tensor scoped = Tensor.zeros(backend(), DType.F32, 3);
        scope.close();
        assertThat(scoped.isClosed()).isTrue();
        assertThat(kept.isClosed()).isFalse();
        kept.close();
    }
}
