package dev.ember.core.spi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Thread-safe counters a backend keeps for {@link Backend#memory()}; frees may come from the Cleaner thread.
 * Each allocation and free is also a JFR event ({@code dev.ember.DeviceAllocation}, {@code dev.ember.DeviceFree})
 * when a recording asks for it, and costs nothing more when none does.
 */
public final class BufferAccounting {
    private final String backend;
    private final AtomicLong liveBuffers = new AtomicLong();
    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong totalAllocations = new AtomicLong();
    private final AtomicLong reclaimedByCleaner = new AtomicLong();
    private final AtomicLong hostToDevice = new AtomicLong();
    private final AtomicLong deviceToHost = new AtomicLong();

    /**
     * All counters at zero; a backend makes one for its lifetime.
     *
     * @param backend the owning backend's {@link Backend#name()}, which its JFR events carry
     */
    public BufferAccounting(String backend) {
        this.backend = backend;
    }

    /** Counts a new buffer of {@code bytes}. */
    public void allocated(long bytes) {
        long buffers = liveBuffers.incrementAndGet();
        long live = liveBytes.addAndGet(bytes);
        totalAllocations.incrementAndGet();
        DeviceAllocationEvent.emit(backend, bytes, live, buffers);
    }

    /** Counts a freed buffer of {@code bytes}. */
    public void freed(long bytes) {
        long buffers = liveBuffers.decrementAndGet();
        long live = liveBytes.addAndGet(-bytes);
        DeviceFreeEvent.emit(backend, bytes, live, buffers);
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
