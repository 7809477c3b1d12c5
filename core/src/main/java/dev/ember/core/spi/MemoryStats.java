package dev.ember.core.spi;

/**
 * Live-buffer accounting of one backend instance.
 *
 * @param liveBuffers         buffers allocated and not yet freed
 * @param liveBytes           bytes held by those buffers
 * @param totalAllocations    buffers ever allocated
 * @param reclaimedByCleaner  buffers freed by the garbage-collection safety net because their
 *                            tensors were never closed (a leak in the caller's code)
 * @param hostToDeviceBytes   bytes copied in by {@code write}
 * @param deviceToHostBytes   bytes copied out by {@code read}
 */
public record MemoryStats(long liveBuffers, long liveBytes, long totalAllocations, long reclaimedByCleaner,
                          long hostToDeviceBytes, long deviceToHostBytes) {
}
