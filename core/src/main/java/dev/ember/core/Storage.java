package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One device buffer shared by a tensor and its views. It is freed when the last tensor using it is
 * closed; if they are all dropped unclosed, the {@link Cleaner} frees it and the backend counts a
 * reclaim, so leaks show up in {@link Backend#memory()}.
 */
final class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DeviceBuffer buffer;
    private final AtomicInteger users = new AtomicInteger(1);
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** @param owner the backend that allocated the buffer and frees it: its own, or a recording while tracing */
    Storage(DeviceBuffer buffer, Backend owner) {
        this.buffer = buffer;
        this.release = new Release(buffer, owner);
        this.cleanable = CLEANER.register(this, release);
    }

    DeviceBuffer buffer() {
        return buffer;
    }

    Backend backend() {
        return buffer.backend();
    }

    /** Another tensor (a view) now uses this storage. */
    void retain() {
        users.incrementAndGet();
    }

    /** A tensor using this storage was closed; the last one frees the buffer. */
    void release() {
        if (users.decrementAndGet() == 0) {
            release.explicit = true;
            cleanable.clean();
        }
    }

    /** Runs once, either from {@link #release()} or from the Cleaner thread. Must not reference the Storage. */
    private static final class Release implements Runnable {
        private final DeviceBuffer buffer;
        private final Backend owner;
        private volatile boolean explicit;

        Release(DeviceBuffer buffer, Backend owner) {
            this.buffer = buffer;
            this.owner = owner;
        }

        @Override
        public void run() {
            if (!explicit) {
                owner.noteReclaimedByCleaner();
            }
            owner.free(buffer);
        }
    }
}
