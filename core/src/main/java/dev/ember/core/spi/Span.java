package dev.ember.core.spi;

/**
 * A buffer and the element offset at which an operand starts. Every SPI operation addresses its
 * operands through spans, so tensor views (slices, transposes) reach kernels without copies.
 */
public record Span(DeviceBuffer buffer, int offset) {
    public Span {
        if (buffer == null) {
            throw new IllegalArgumentException("span: buffer is null");
        }
        if (offset < 0 || offset > buffer.length()) {
            throw new IllegalArgumentException("span: offset " + offset + " outside buffer of length "
                    + buffer.length());
        }
    }

    public static Span of(DeviceBuffer buffer) {
        return new Span(buffer, 0);
    }
}
