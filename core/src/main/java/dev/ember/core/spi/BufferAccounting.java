package dev.ember.core.spi;

import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters a backend keeps for {@link Backend#memory()}; frees may come from the Cleaner thread. */
public final class BufferAccounting {
    private final AtomicLong liveBuffers = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong totalAllocations = new AtomicLong();
    private final AtomicLong reclaimedByCleaner = new AtomicLong();
    private final AtomicLong hostToDevice = new AtomicLong();
    private final AtomicLong deviceToHost = new AtomicLong();

    /** All counters at zero; a backend makes one for its lifetime. */
    public BufferAccounting() {
    }

    public void allocated(long bytes) {
        liveBuffers.incrementAndGet();
        liveBytes.addAndGet(bytes);
        totalAllocations.incrementAndGet();
    }

    public void freed(long bytes) {
        liveBuffers.decrementAndGet();
        liveBytes.addAndGet(-bytes);
    }

    public void reclaimedByCleaner() {
        reclaimedByCleaner.incrementAndGet();
    }

    public void copiedToDevice(long bytes) {
        hostToDevice.addAndGet(bytes);
    }

    public void copiedToHost(long bytes) {
        deviceToHost.addAndGet(bytes);
    }

    public MemoryStats snapshot() {
        return new MemoryStats(liveBuffers.get(), liveBytes.get(), totalAllocations.get(),
                reclaimedByCleaner.get(), hostToDevice.get(), deviceToHost.get());
    }
}
