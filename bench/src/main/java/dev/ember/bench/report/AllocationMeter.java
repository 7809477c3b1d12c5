package dev.ember.bench.report;

import java.lang.management.ManagementFactory;

/**
 * Bytes the calling thread has allocated on the Java heap, from HotSpot's per-thread counter
 * ({@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes}, which itself allocates
 * nothing). Work that other threads do for the caller (a backend's helper threads) is not counted.
 */
final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationMeter() {
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            if (!t.isThreadAllocatedMemoryEnabled()) {
                t.setThreadAllocatedMemoryEnabled(true);
            }
            return t;
        }
        return null;
    }

    /** Whether this JVM counts allocated bytes per thread. */
    static boolean supported() {
        return THREADS != null;
    }

    /** The calling thread's allocated bytes so far, or -1 when {@linkplain #supported() unsupported}. */
    static long allocatedBytes() {
        return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
    }
}
