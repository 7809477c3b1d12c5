package dev.ember.opencl;

import dev.ember.core.DType;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;

/** Ownership and dtype checks on the spans handed to one backend instance. */
final class SpanChecks {
    private final OpenClBackend owner;

    SpanChecks(OpenClBackend owner) {
        this.owner = owner;
    }

    /** The buffer as this backend's own, or an exception naming the backend it belongs to. */
    OpenClBuffer own(DeviceBuffer buffer, String operation) {
        if (!(buffer instanceof OpenClBuffer b) || b.backend() != owner) {
            throw new IllegalArgumentException(operation + ": buffer belongs to backend " + buffer.backend().name()
                    + (buffer instanceof OpenClBuffer ? " (another opencl instance)" : "")
                    + ", not to this opencl backend");
        }
        return b;
    }

    /** A live buffer of this backend, of dtype {@code expected} unless that is null. */
    OpenClBuffer buffer(Span s, DType expected, String operation) {
        OpenClBuffer b = own(s.buffer(), operation);
        if (expected != null && b.dtype() != expected) {
            throw new IllegalArgumentException(operation + ": expected an " + expected + " buffer, got " + b.dtype());
        }
        if (b.isReleased()) {
            throw new IllegalArgumentException(operation + ": buffer was already freed");
        }
        return b;
    }

    /** Checks that all spans share the first one's dtype, and returns it. */
    DType sameDtype(String operation, Span... spans) {
        DType dtype = buffer(spans[0], null, operation).dtype();
        for (int i = 1; i < spans.length; i++) {
            buffer(spans[i], dtype, operation);
        }
        return dtype;
    }

    /** Same dtype, and {@code length} elements in every span. */
    void vectors(String operation, long length, Span... spans) {
        sameDtype(operation, spans);
        for (Span s : spans) {
            Extents.check(operation, "operand", s, length);
        }
    }
}
