package dev.ember.gpu;

import dev.ember.core.spi.Expression;

/**
 * Renders an {@link Expression} as one kernel, {@code ember_expression}, in Ember's kernel dialect
 * ({@code ember_dialect.h}): the same text compiles as OpenCL C and, with the CUDA flavour of the
 * header, as CUDA C. Each node becomes a local {@code real}, computed with the very
 * {@code unary_op}/{@code binary_op} functions of {@code elementwise.cl} (with constant op codes, so
 * the compiler folds their switches), which keeps fused and eager results the same. Constants and
 * unary parameters are kernel arguments, so the source depends only on the expression's
 * {@link Expression#structure() structure}: a step whose learning rate changes builds nothing new.
 *
 * <p>Parameters: {@code rows, cols}, then per input {@code (ptr, offset, rowStride, colStride)}, then
 * per output {@code (ptr, offset)}, then one {@code real} per constant or unary node, in node order
 * ({@link #hasValue}).
 */
public final class ExpressionSource {
    public static final String KERNEL = "ember_expression";

    private ExpressionSource() {
    }

    public static String render(Expression e) {
        StringBuilder src = new StringBuilder("\n/* a fused expression: ").append(e.size()).append(" nodes, ")
                .append(e.inputs()).append(" inputs, ").append(e.outputs()).append(" outputs */\n");
        src.append("KERNEL void ").append(KERNEL).append("(int rows, int cols");
        for (int k = 0; k < e.inputs(); k++) {
            src.append(",\n        GLOBAL const real* in").append(k).append(", int in").append(k).append("off, int in")
                    .append(k).append("rs, int in").append(k).append("cs");
        }
        for (int k = 0; k < e.outputs(); k++) {
            src.append(",\n        GLOBAL real* out").append(k).append(", int out").append(k).append("off");
        }
        for (int node = 0; node < e.size(); node++) {
            if (hasValue(e, node)) {
                src.append(", real k").append(node);
            }
        }
        src.append(") {\n    int n = rows * cols;\n    GRID_STRIDE(t, n) {\n");
        src.append("        int i = t / cols;\n        int j = t - i * cols;\n");
        for (int node = 0; node < e.size(); node++) {
            src.append("        real v").append(node).append(" = ");
            switch (e.kind(node)) {
                case INPUT -> {
                    int k = e.input(node);
                    src.append("in").append(k).append("[in").append(k).append("off + i * in").append(k)
                            .append("rs + j * in").append(k).append("cs]");
                }
                case CONSTANT -> src.append('k').append(node);
                case UNARY -> src.append("unary_op(").append(OpCodes.code(e.unaryOp(node))).append(", v")
                        .append(e.left(node)).append(", k").append(node).append(')');
                case BINARY -> src.append("binary_op(").append(OpCodes.code(e.binaryOp(node))).append(", v")
                        .append(e.left(node)).append(", v").append(e.right(node)).append(')');
            }
            src.append(";\n");
        }
        for (int k = 0; k < e.outputs(); k++) {
            src.append("        out").append(k).append("[out").append(k).append("off + t] = v").append(e.output(k))
                    .append(";\n");
        }
        return src.append("    }\n}\n").toString();
    }

    /** Whether a node's value (a constant, or a unary op's parameter) is passed as a kernel argument. */
    public static boolean hasValue(Expression e, int node) {
        return e.kind(node) == Expression.Kind.CONSTANT || e.kind(node) == Expression.Kind.UNARY;
    }
}
