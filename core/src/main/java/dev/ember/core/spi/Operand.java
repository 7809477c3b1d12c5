package dev.ember.core.spi;

/**
 * One input of a 2-D element-wise binary operation: element (i, j) is
 * {@code span.buffer[span.offset + i * rowStride + j * colStride]}. Broadcasting is a zero stride:
 * a row vector has {@code rowStride = 0}, a column vector {@code colStride = 0}, a scalar both.
 */
public record Operand(Span span, int rowStride, int colStride) {
    /** A dense row-major {@code rows x cols} operand. */
    public static Operand dense(Span span, int cols) {
        return new Operand(span, cols, 1);
    }

    /** A {@code 1 x cols} row repeated over every row. */
    public static Operand row(Span span) {
        return new Operand(span, 0, 1);
    }

    /** A {@code rows x 1} column repeated over every column. */
    public static Operand column(Span span) {
        return new Operand(span, 1, 0);
    }

    /** One element repeated everywhere. */
    public static Operand scalar(Span span) {
        return new Operand(span, 0, 0);
    }
}
