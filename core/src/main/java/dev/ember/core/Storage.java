package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device buffer shared by a tensor and its views, with a count of the tensors holding it. The
 * buffer is freed exactly once: when the last holder releases it, or, if they are all dropped
 * unreleased, by the {@link Reclaimer} (the backend counts that as a reclaim, so leaks show up in
 * {@link Backend#memory()}). Once the count reaches zero it never rises again, so no view can be made
 * of a buffer that is being freed.
 */
final class Storage {
    private final DeviceBuffer buffer;
    private final AtomicInteger holders = new AtomicInteger(1);
    private final Reclaimer.Registration registration;

    /** @param owner the backend that allocated the buffer and frees it: its own, or a recording while tracing */
    Storage(DeviceBuffer buffer, Backend owner) {
        this.buffer = buffer;
        this.registration = Reclaimer.register(this, new Release(buffer, owner));
    }

    /**
     * Allocates through {@code owner}; when it is out of memory, frees every tensor buffer that is
     * already unreachable (leaked without close) and tries once more, so leaked tensors never cause
     * an out-of-memory failure that a collection would have avoided.
     */
    static DeviceBuffer allocate(Backend owner, DType dtype, int length) {
        try {
            return owner.allocate(dtype, length);
        } catch (OutOfDeviceMemoryException e) {
            Reclaimer.reclaimUnreachable();
            return owner.allocate(dtype, length);
        }
    }

    DeviceBuffer buffer() {
        return buffer;
    }

    Backend backend() {
        return buffer.backend();
    }

    /** Another tensor (a view) starts holding this storage; false when the last holder has already released it. */
    boolean tryRetain() {
        for (int n = holders.get(); n > 0; n = holders.get()) {
            if (holders.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /** A holder lets go (each holder exactly once); the last one frees the buffer. */
    void release() {
        int left = holders.decrementAndGet();
        if (left == 0) {
            registration.run(false);
        } else if (left < 0) {
            throw new IllegalStateException("storage of " + buffer.length() + " x " + buffer.dtype()
                    + " released more often than it was held");
        }
    }

    /** Frees the buffer. Must not reference the Storage, or the Storage would never become unreachable. */
    private record Release(DeviceBuffer buffer, Backend owner) implements Reclaimer.Action {
        @Override
        public void run(boolean unreachable) {
            if (unreachable) {
                owner.noteReclaimedByCleaner();
            }
            owner.free(buffer);
        }
    }
}
