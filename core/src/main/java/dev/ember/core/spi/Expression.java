package dev.ember.core.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An element-wise expression over a {@code rows x cols} grid: a small SSA program of inputs (read
 * through {@link Operand}s, so broadcasting is a zero stride), constants, the {@link UnaryOp} and
 * {@link BinaryOp} primitives, and one or more outputs. {@link Backend#evaluate} runs it; a backend
 * that overrides it does the whole program in one pass over memory (the CPU backend block by
 * block in L1, a GPU backend as one generated kernel), which is how the tracer fuses chains of
 * element-wise operations. The semantics are those of the primitives, node by node, each result
 * rounded to the dtype, special values included.
 *
 * <p>Immutable and value-comparable ({@link #equals}, {@link #hashCode}), so a backend can cache
 * what it builds for an expression. Build one with {@link #builder(int)}:
 * <pre>{@code
 * Expression.Builder e = Expression.builder(2);                         // inputs 0 and 1
 * int relu = e.unary(UnaryOp.MAX_SCALAR, 0, e.binary(BinaryOp.ADD, e.input(0), e.input(1)));
 * Expression biasRelu = e.build(relu);                                // one output
 * }</pre>
 */
public final class Expression {
    /** What a node is. */
    public enum Kind { INPUT, CONSTANT, UNARY, BINARY }

    private final int inputs;
    private final Kind[] kinds;
    private final Enum<?>[] ops;
    private final int[] left;
    private final int[] right;
    private final double[] values;
    private final int[] outputs;
    private final Structure structure = new Structure(this);

    private Expression(int inputs, Kind[] kinds, Enum<?>[] ops, int[] left, int[] right, double[] values,
                       int[] outputs) {
        this.inputs = inputs;
        this.kinds = kinds;
        this.ops = ops;
        this.left = left;
        this.right = right;
        this.values = values;
        this.outputs = outputs;
    }

    public static Builder builder(int inputs) {
        if (inputs < 0) {
            throw new IllegalArgumentException("expression: inputs must be >= 0, got " + inputs);
        }
        return new Builder(inputs);
    }

    /** Number of input operands. */
    public int inputs() {
        return inputs;
    }

    /** Number of nodes, in evaluation order (every operand of a node comes before it). */
    public int size() {
        return kinds.length;
    }

    public Kind kind(int node) {
        return kinds[node];
    }

    /** The input index of an {@code INPUT} node. */
    public int input(int node) {
        return left[node];
    }

    /** The value of a {@code CONSTANT} node, or the parameter of a {@code UNARY} node. */
    public double value(int node) {
        return values[node];
    }

    public UnaryOp unaryOp(int node) {
        return (UnaryOp) ops[node];
    }

    public BinaryOp binaryOp(int node) {
        return (BinaryOp) ops[node];
    }

    /** The (first) operand node of a {@code UNARY} or {@code BINARY} node. */
    public int left(int node) {
        return left[node];
    }

    /** The second operand node of a {@code BINARY} node. */
    public int right(int node) {
        return right[node];
    }

    /** The nodes written to the outputs, in output order. */
    public int output(int k) {
        return outputs[k];
    }

    public int outputs() {
        return outputs.length;
    }

    /**
     * This expression without its values (constants and unary parameters): equal for expressions that
     * differ only in those, so a backend that passes the values as arguments builds code once per
     * structure, not once per learning rate.
     */
    public Structure structure() {
        return structure;
    }

    /** Value-comparable by everything but the values; see {@link #structure()}. */
    public static final class Structure {
        private final Expression e;

        private Structure(Expression e) {
            this.e = e;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Structure s && e.inputs == s.e.inputs && Arrays.equals(e.kinds, s.e.kinds)
                    && Arrays.equals(e.ops, s.e.ops) && Arrays.equals(e.left, s.e.left)
                    && Arrays.equals(e.right, s.e.right) && Arrays.equals(e.outputs, s.e.outputs);
        }

        @Override
        public int hashCode() {
            return Objects.hash(e.inputs, Arrays.hashCode(e.kinds), Arrays.hashCode(e.ops), Arrays.hashCode(e.left),
                    Arrays.hashCode(e.right), Arrays.hashCode(e.outputs));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Expression e && structure.equals(e.structure) && Arrays.equals(values, e.values);
    }

    @Override
    public int hashCode() {
        return 31 * structure.hashCode() + Arrays.hashCode(values);
    }

    /** One line per node, e.g. {@code t2 = ADD(t0, t1)}, then the outputs. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("expression(").append(inputs).append(" inputs) {");
        for (int i = 0; i < kinds.length; i++) {
            sb.append(" t").append(i).append(" = ");
            switch (kinds[i]) {
                case INPUT -> sb.append("in").append(left[i]);
                case CONSTANT -> sb.append(values[i]);
                case UNARY -> sb.append(ops[i]).append("(t").append(left[i]).append(", ").append(values[i]).append(')');
                case BINARY -> sb.append(ops[i]).append("(t").append(left[i]).append(", t").append(right[i]).append(')');
            }
            sb.append(';');
        }
        sb.append(" out");
        for (int o : outputs) {
            sb.append(" t").append(o);
        }
        return sb.append(" }").toString();
    }

    /** Appends nodes in evaluation order; each method returns the new node's index. Not thread-safe. */
    public static final class Builder {
        private final int inputs;
        private final List<Kind> kinds = new ArrayList<>();
        private final List<Enum<?>> ops = new ArrayList<>();
        private final List<Integer> left = new ArrayList<>();
        private final List<Integer> right = new ArrayList<>();
        private final List<Double> values = new ArrayList<>();

        private Builder(int inputs) {
            this.inputs = inputs;
        }

        public int input(int index) {
            if (index < 0 || index >= inputs) {
                throw new IllegalArgumentException("expression: input " + index + " outside [0, " + inputs + ")");
            }
            return add(Kind.INPUT, null, index, -1, 0);
        }

        public int constant(double value) {
            return add(Kind.CONSTANT, null, -1, -1, value);
        }

        public int unary(UnaryOp op, double param, int x) {
            return add(Kind.UNARY, Objects.requireNonNull(op, "expression: unary op"), node(x), -1, param);
        }

        public int binary(BinaryOp op, int a, int b) {
            return add(Kind.BINARY, Objects.requireNonNull(op, "expression: binary op"), node(a), node(b), 0);
        }

        public Expression build(int... outputNodes) {
            if (outputNodes.length == 0) {
                throw new IllegalArgumentException("expression: needs at least one output");
            }
            for (int o : outputNodes) {
                node(o);
            }
            int n = kinds.size();
            int[] l = new int[n];
            int[] r = new int[n];
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                l[i] = left.get(i);
                r[i] = right.get(i);
                v[i] = values.get(i);
            }
            return new Expression(inputs, kinds.toArray(Kind[]::new), ops.toArray(Enum<?>[]::new), l, r, v,
                    outputNodes.clone());
        }

        private int node(int index) {
            if (index < 0 || index >= kinds.size()) {
                throw new IllegalArgumentException("expression: node " + index + " does not exist yet (nodes 0.."
                        + (kinds.size() - 1) + ")");
            }
            return index;
        }

        private int add(Kind kind, Enum<?> op, int a, int b, double value) {
            kinds.add(kind);
            ops.add(op);
            left.add(a);
            right.add(b);
            values.add(value);
            return kinds.size() - 1;
        }
    }
}
