package dev.ember.bench.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-thread allocation counter around {@link Timing#time}, as the serving report uses them. */
class AllocationMeterTest {
    private static byte[] sink;

    private static long bytesOf(Runnable run, int calls) {
        double[] seconds = new double[calls];
        long before = AllocationMeter.allocatedBytes();
        Timing.time(run, seconds);
        return AllocationMeter.allocatedBytes() - before;
    }

    @Test
    void countsWhatTheTimedCallsAllocateAndNothingElse() {
        assertThat(AllocationMeter.supported()).as("HotSpot counts allocated bytes per thread").isTrue();
        bytesOf(() -> { }, 10);   // loads and links what the loop calls, which allocates once
        assertThat(bytesOf(() -> { }, 1000)).as("the timing loop and the meter allocate nothing").isZero();
        assertThat(bytesOf(() -> sink = new byte[10_000], 100)).isGreaterThanOrEqualTo(100 * 10_000);
    }
}
