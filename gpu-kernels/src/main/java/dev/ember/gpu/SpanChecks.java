package dev.ember.gpu;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

import java.util.function.Predicate;

/**
 * Ownership and dtype checks on the spans handed to one GPU backend instance.
 *
 * @param <B> the backend's own buffer type
 */
public final class SpanChecks<B extends DeviceBuffer> {
    private final Backend owner;
    private final Class<B> type;
    private final Predicate<B> released;

    /** Checks for {@code owner}, whose buffers are {@code type}; {@code released} tells a freed one. */
    public SpanChecks(Backend owner, Class<B> type, Predicate<B> released) {
        this.owner = owner;
        this.type = type;
        this.released = released;
    }

    /** The buffer as this backend's own, or an exception naming the backend it belongs to. */
    public B own(DeviceBuffer buffer, String operation) {
        if (!type.isInstance(buffer) || buffer.backend() != owner) {
            throw new IllegalArgumentException(operation + ": buffer belongs to backend " + buffer.backend().name()
                    + (type.isInstance(buffer) ? " (another " + owner.name() + " instance)" : "")
                    + ", not to this " + owner.name() + " backend");
        }
        return type.cast(buffer);
    }

    /** A live buffer of this backend, of dtype {@code expected} unless that is null. */
    public B buffer(Span s, DType expected, String operation) {
        B b = own(s.buffer(), operation);
        if (expected != null && b.dtype() != expected) {
            throw new IllegalArgumentException(operation + ": expected an " + expected + " buffer, got " + b.dtype());
        }
        if (released.test(b)) {
            throw new IllegalArgumentException(operation + ": buffer was already freed");
        }
        return b;
    }

    /** Checks that all spans share the first one's dtype, and returns it. */
    public DType sameDtype(String operation, Span... spans) {
        DType dtype = buffer(spans[0], null, operation).dtype();
        for (int i = 1; i < spans.length; i++) {
            buffer(spans[i], dtype, operation);
        }
        return dtype;
    }

    /** Same dtype, and {@code length} elements in every span. */
    public void vectors(String operation, long length, Span... spans) {
        sameDtype(operation, spans);
        for (Span s : spans) {
            Extents.check(operation, "operand", s, length);
        }
    }
}
