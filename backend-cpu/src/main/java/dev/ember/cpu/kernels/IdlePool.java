package dev.ember.cpu.kernels;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

/**
 * A few idle objects (scratch buffers) shared by every thread: {@link #take} one, or get a new one
 * when none is idle, and {@link #give} it back. Lock-free and allocation-free in steady state, and
 * nothing is kept per thread, so a virtual thread per request costs no buffers of its own. At most
 * {@code capacity} objects are kept; one given back to a full pool is dropped.
 */
public final class IdlePool<T> {
    private final AtomicReferenceArray<T> idle;
    private final Supplier<T> factory;

    public IdlePool(int capacity, Supplier<T> factory) {
        if (capacity < 1) {
            throw new IllegalArgumentException("IdlePool: capacity must be >= 1, got " + capacity);
        }
        this.idle = new AtomicReferenceArray<>(capacity);
        this.factory = factory;
    }

    /** An idle object, now the caller's alone, or a new one. */
    public T take() {
        for (int i = 0; i < idle.length(); i++) {
            T t = idle.get(i);
            if (t != null && idle.compareAndSet(i, t, null)) {
                return t;
            }
        }
        return factory.get();
    }

    /** Hands {@code t} (from {@link #take}) back for reuse; the caller must not use it any more. */
    public void give(T t) {
        for (int i = 0; i < idle.length(); i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, t)) {
                return;
            }
        }
    }
}
