package dev.ember.core;

import java.util.Locale;

/**
 * A backend could not allocate a buffer: the request exceeds what the device (or, for the CPU
 * backend, the Java heap) can hold now. Every backend throws this one type, before the failed
 * request can harm the process, and stays usable: smaller allocations, and the same one after
 * tensors are closed, work.
 *
 * <p>{@code Tensor} allocations that fail this way are retried once after the buffers of tensors
 * dropped without {@code close} have been collected, so one seen by the caller means the memory is
 * really held by open tensors (or by other programs).
 */
public final class OutOfDeviceMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final long requestedBytes;
    private final long availableBytes;

    /**
     * @param backend        the backend's name
     * @param requestedBytes the size of the refused buffer
     * @param availableBytes what the backend could still have given, or -1 when unknown
     * @param limit          which limit refused it, for the message (e.g. "the Java heap (-Xmx)")
     * @param cause          the allocator's own failure, or null
     */
    public OutOfDeviceMemoryException(String backend, long requestedBytes, long availableBytes, String limit,
                                      Throwable cause) {
        super(message(backend, requestedBytes, availableBytes, limit), cause);
        this.backend = backend;
        this.requestedBytes = requestedBytes;
        this.availableBytes = availableBytes;
    }

    /**
     * For a backend whose buffers are Java arrays: the heap refused {@code requestedBytes} with
     * {@code cause}; the free figure is what the heap could still grow into.
     */
    public static OutOfDeviceMemoryException javaHeap(String backend, long requestedBytes, OutOfMemoryError cause) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        return new OutOfDeviceMemoryException(backend, requestedBytes, Math.max(0, free),
                "the Java heap, -Xmx " + bytes(rt.maxMemory()), cause);
    }

    private static String message(String backend, long requested, long available, String limit) {
        return "allocate: " + backend + " is out of memory: asked for " + bytes(requested) + ", "
                + (available < 0 ? "free memory unknown" : bytes(available) + " free") + " (limit: " + limit + ")";
    }

    /** {@code 1234567 bytes (1.2 MiB)}. */
    static String bytes(long n) {
        return n < 1024 ? n + " bytes"
                : String.format(Locale.ROOT, "%d bytes (%.1f %s)", n, n >= 1L << 30 ? n / (double) (1L << 30)
                        : n >= 1L << 20 ? n / (double) (1L << 20) : n / 1024.0,
                        n >= 1L << 30 ? "GiB" : n >= 1L << 20 ? "MiB" : "KiB");
    }

    /** The backend's name. */
    public String backend() {
        return backend;
    }

    /** The size of the refused buffer in bytes. */
    public long requestedBytes() {
        return requestedBytes;
    }

    /** What the backend could still have given, in bytes, or -1 when it cannot tell. */
    public long availableBytes() {
        return availableBytes;
    }
}
