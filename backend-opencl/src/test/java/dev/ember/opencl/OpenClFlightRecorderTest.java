package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.ember.core.conformance.FlightRecording.capture;
import static dev.ember.opencl.OpenClTestSupport.backend;
import static dev.ember.opencl.OpenClTestSupport.free;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code dev.ember.KernelLaunch}: one event per enqueued kernel, the same launches {@link CommandCounts} counts. */
class OpenClFlightRecorderTest {
    @Test
    void everyKernelLaunchIsRecordedWithItsNameAndWorkItems() {
        Backend b = backend();
        OpenClBackend cl = (OpenClBackend) b;
        Span x = Span.of(b.allocate(DType.F32, 1000));
        Span y = Span.of(b.allocate(DType.F32, 1000));
        long[] launches = new long[1];
        try {
            List<RecordedEvent> events = capture(() -> {
                CommandCounts before = cl.commandCounts();
                b.unary(UnaryOp.EXP, 0, x, y, 1000);
                b.unary(UnaryOp.NEG, 0, y, x, 1000);
                b.synchronize();
                launches[0] = cl.commandCounts().since(before).kernelLaunches();
            }, "dev.ember.KernelLaunch");
            assertThat(launches[0]).isEqualTo(2);
            assertThat(events).hasSize(2);
            for (RecordedEvent e : events) {
                assertThat(e.getString("backend")).isEqualTo("opencl");
                assertThat(e.getString("kernel")).isEqualTo("ember_unary");
                assertThat(e.getLong("workItems")).isGreaterThanOrEqualTo(1000);   // the grid rounds up to whole work groups
                assertThat(e.getStackTrace()).isNull();   // off by default: launches are frequent
            }
        } finally {
            free(b, x);
            free(b, y);
        }
    }
}
