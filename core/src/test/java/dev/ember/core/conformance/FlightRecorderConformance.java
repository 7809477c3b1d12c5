package dev.ember.core.conformance;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.trace.Plan;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ember.core.conformance.FlightRecording.capture;
import static dev.ember.core.conformance.FlightRecording.ofType;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * JFR events every backend emits through {@link dev.ember.core.spi.BufferAccounting} and traced
 * execution: {@code dev.ember.DeviceAllocation}, {@code dev.ember.DeviceFree} and
 * {@code dev.ember.PlanReplay}, with their fields. Only the test thread's events are read, since the
 * Cleaner may free another test's leaked buffer meanwhile.
 */
public interface FlightRecorderConformance extends ConformanceBase {
    String ALLOCATION = "dev.ember.DeviceAllocation";
    String FREE = "dev.ember.DeviceFree";
    String REPLAY = "dev.ember.PlanReplay";

    @Test
    default void allocationAndFreeAreRecordedWithBackendSizeAndLiveBytes() {
        Backend be = backend();
        long[] live = new long[4];   // live bytes and buffers after the allocation, then after the free
        for (int attempt = 0; ; attempt++) {
            List<RecordedEvent> events = capture(() -> {
                DeviceBuffer buffer = be.allocate(DType.F64, 1000);
                live[0] = be.memory().liveBytes();
                live[1] = be.memory().liveBuffers();
                be.free(buffer);
                live[2] = be.memory().liveBytes();
                live[3] = be.memory().liveBuffers();
            }, ALLOCATION, FREE);
            assertThat(events).extracting(e -> e.getEventType().getName()).containsExactly(ALLOCATION, FREE);
            RecordedEvent allocation = events.get(0);
            RecordedEvent free = events.get(1);
            for (RecordedEvent e : events) {
                assertThat(e.getString("backend")).isEqualTo(be.name());
                assertThat(e.getLong("bytes")).isEqualTo(8000);
            }
            assertThat(allocation.getLong("liveBytes") - free.getLong("liveBytes")).isEqualTo(8000);
            assertThat(allocation.getLong("liveBuffers") - free.getLong("liveBuffers")).isEqualTo(1);
            long[] recorded = {allocation.getLong("liveBytes"), allocation.getLong("liveBuffers"),
                    free.getLong("liveBytes"), free.getLong("liveBuffers")};
            if (java.util.Arrays.equals(recorded, live) || attempt == 4) {   // the Cleaner may free between event and read
                assertThat(recorded).containsExactly(live);
                return;
            }
        }
    }

    @Test
    default void everyReplayOfATracedFunctionIsRecordedWithItsPlan() {
        Backend be = backend();
        Tensor x = Tensor.zeros(be, DType.F32, 4, 3);
        try (TracedFunction f = Tracing.function("jfr-step", in -> new Tensor[] {in[0].mul(in[0]).add(1).relu()})) {
            List<RecordedEvent> replays = ofType(capture(() -> {
                for (int i = 0; i < 3; i++) {
                    f.call(x)[0].close();   // the first call traces, the others replay
                }
            }, REPLAY), REPLAY);
            Plan.Stats plan = f.plans().get(0);
            assertThat(replays).hasSize(2);
            for (RecordedEvent e : replays) {
                assertThat(e.getString("function")).isEqualTo("jfr-step");
                assertThat(e.getString("backend")).isEqualTo(be.name());
                assertThat(e.getInt("calls")).isEqualTo(plan.calls()).isPositive();
                assertThat(e.getLong("bufferBytes")).isEqualTo(plan.bufferBytes());
                assertThat(e.getDuration().isNegative()).isFalse();
            }
        }
    }
}
