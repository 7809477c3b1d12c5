package dev.ember.core.spi;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no recording, the JFR hooks on the hot paths allocate nothing: counting an allocation or a
 * free makes no event object, and a kernel launch gets no event to fill. (Unguarded, the interpreted
 * calls alone would allocate an event each: megabytes over these calls.)
 */
class FlightRecorderOffTest {
    private static final int CALLS = 200_000;

    @Test
    void accountingAllocatesNothingWithoutARecording() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        BufferAccounting accounting = new BufferAccounting("test");
        accounting.allocated(1);   // class loading and initialisation, outside the measurement
        accounting.freed(1);
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            accounting.allocated(64);
            accounting.freed(64);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by %d allocate/free pairs", CALLS).isLessThan(16 * 1024);
        assertThat(accounting.snapshot().totalAllocations()).isEqualTo(CALLS + 1);
    }

    @Test
    void aKernelLaunchHasNoEventWithoutARecording() {
        assertThat(KernelLaunchEvent.start()).isNull();
    }
}
