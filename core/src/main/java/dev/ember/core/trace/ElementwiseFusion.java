package dev.ember.core.trace;

import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Expression;
import dev.ember.core.spi.Operand;
import dev.ember.core.spi.Span;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fuses each run of consecutive unary and binary calls (a ReLU counts: it is {@code max(x, 0)})
 * over one grid into a single
 * {@link Calls.Evaluate}: values passed between the calls of a run become expression nodes, and a
 * temporary that nothing after the run touches is never written to memory at all. Each node keeps
 * the primitive's rounding, so the fused step computes what the recorded calls computed.
 */
final class ElementwiseFusion {
    record Result(List<Call> calls, int fusedCalls) {
    }

    private ElementwiseFusion() {
    }

    static Result fuse(List<Call> calls, Set<DeviceBuffer> temporaries) {
        List<Call> out = new ArrayList<>(calls.size());
        int fused = 0;
        int i = 0;
        while (i < calls.size()) {
            Call first = calls.get(i);
            if (elementwise(first) == null) {
                out.add(first);
                i++;
                continue;
            }
            Run run = new Run();
            int j = i;
            while (j < calls.size() && elementwise(calls.get(j)) != null && run.tryAdd(elementwise(calls.get(j)))) {
                j++;
            }
            if (j - i >= 2) {
                Call evaluate = run.build(calls.subList(j, calls.size()), temporaries);
                if (evaluate != null) {
                    out.add(evaluate);
                }
                fused += j - i;
            } else {
                out.add(first);
                j = i + 1;
            }
            i = j;
        }
        return new Result(out, fused);
    }

    /** {@code c} as a unary or binary primitive (a ReLU is one), or null. */
    private static Call elementwise(Call c) {
        if (c instanceof Calls.Unary || c instanceof Calls.Binary) {
            return c;
        }
        return c instanceof Calls.ActivationForward a ? a.asUnary() : null;
    }

    /** One run being fused: its grid, nodes, external inputs and the buffers it writes. */
    private static final class Run {
        /** An external operand: dense over the grid, or with its own strides on a fixed 2-D grid. */
        private record Input(Span span, boolean dense, int rowStride, int colStride) {
        }

        /** A node: {@code input >= 0} for an input, else a unary ({@code right < 0}) or binary op. */
        private record Node(int input, Enum<?> op, double param, int left, int right) {
        }

        private int size = -1;            // elements in the grid
        private int rows = -1;            // fixed by the first broadcasting operand, else -1 (any split)
        private int cols = -1;
        private final List<Node> nodes = new ArrayList<>();
        private final List<Input> inputs = new ArrayList<>();
        private final Map<DeviceBuffer, int[]> written = new LinkedHashMap<>();   // buffer -> {offset, node}
        private final Map<DeviceBuffer, List<Input>> readOutside = new IdentityHashMap<>();

        boolean tryAdd(Call c) {
            if (c instanceof Calls.Unary u) {
                if (!fits(u.length, -1, -1)) {
                    return false;
                }
                Integer x = read(u.spans[0], true, 0, 0);
                if (x == null || !canWrite(u.spans[1])) {
                    return false;
                }
                commit(u.spans[1], new Node(-1, u.op, u.param, x, -1), u.length, -1, -1);
                return true;
            }
            if (c instanceof Calls.Binary b) {
                boolean aDense = dense(b.a, b.rows, b.cols);
                boolean bDense = dense(b.b, b.rows, b.cols);
                boolean anyGrid = (aDense || scalar(b.a)) && (bDense || scalar(b.b));   // no row structure to keep
                int r = anyGrid ? -1 : b.rows;
                int k = anyGrid ? -1 : b.cols;
                if (!fits(b.rows * b.cols, r, k)) {
                    return false;
                }
                Integer x = read(b.a.span(), aDense, b.a.rowStride(), b.a.colStride());
                Integer y = read(b.b.span(), bDense, b.b.rowStride(), b.b.colStride());
                if (x == null || y == null || !canWrite(b.spans[2])) {
                    return false;
                }
                commit(b.spans[2], new Node(-1, b.op, 0, x, y), b.rows * b.cols, r, k);
                return true;
            }
            return false;
        }

        private static boolean scalar(Operand o) {
            return o.rowStride() == 0 && o.colStride() == 0;
        }

        /** Whether the operand's elements lie row after row with no gaps (a column's col stride is moot). */
        private static boolean dense(Operand o, int rows, int cols) {
            return (o.colStride() == 1 || cols == 1) && (o.rowStride() == cols || rows == 1);
        }

        private boolean fits(int elements, int r, int k) {
            if (size >= 0 && elements != size) {
                return false;
            }
            return r < 0 || rows < 0 || (r == rows && k == cols);
        }

        /** The node holding an operand's value, adding an input if it comes from outside; null if it cannot be fused. */
        private Integer read(Span span, boolean dense, int rowStride, int colStride) {
            int[] w = written.get(span.buffer());
            if (w != null) {
                return dense && w[0] == span.offset() ? w[1] : null;   // the value this run produced
            }
            Input in = new Input(span, dense, rowStride, colStride);
            int index = inputs.indexOf(in);
            if (index < 0) {
                inputs.add(in);
                readOutside.computeIfAbsent(span.buffer(), b -> new ArrayList<>()).add(in);
                nodes.add(new Node(inputs.size() - 1, null, 0, -1, -1));
                return nodes.size() - 1;
            }
            for (int n = 0; n < nodes.size(); n++) {
                if (nodes.get(n).input() == index) {
                    return n;
                }
            }
            throw new IllegalStateException("fusion: input " + index + " has no node");
        }

        /** A buffer the run read from outside may be written only exactly where it was read (in place). */
        private boolean canWrite(Span out) {
            int[] w = written.get(out.buffer());
            if (w != null && w[0] != out.offset()) {
                return false;
            }
            for (Input in : readOutside.getOrDefault(out.buffer(), List.of())) {
                if (!in.dense() || in.span().offset() != out.offset()) {
                    return false;
                }
            }
            return true;
        }

        private void commit(Span out, Node node, int elements, int r, int k) {
            nodes.add(node);
            written.put(out.buffer(), new int[] {out.offset(), nodes.size() - 1});
            size = elements;
            if (r >= 0) {
                rows = r;
                cols = k;
            }
        }

        /** The fused call, or null when nothing it computes is used afterwards. */
        Call build(List<Call> later, Set<DeviceBuffer> temporaries) {
            List<Span> outSpans = new ArrayList<>();
            List<Integer> outNodes = new ArrayList<>();
            for (Map.Entry<DeviceBuffer, int[]> e : written.entrySet()) {
                DeviceBuffer b = e.getKey();
                if (temporaries.contains(b) && !touchedBy(later, b)) {
                    continue;   // lives and dies inside the run
                }
                outSpans.add(new Span(b, e.getValue()[0]));
                outNodes.add(e.getValue()[1]);
            }
            if (outNodes.isEmpty()) {
                return null;
            }
            int gridRows = rows < 0 ? 1 : rows;
            int gridCols = rows < 0 ? size : cols;
            Expression.Builder e = Expression.builder(inputs.size());
            int[] id = new int[nodes.size()];
            for (int n = 0; n < nodes.size(); n++) {
                Node node = nodes.get(n);
                if (node.input() >= 0) {
                    id[n] = e.input(node.input());
                } else if (node.right() < 0) {
                    id[n] = e.unary((dev.ember.core.spi.UnaryOp) node.op(), node.param(), id[node.left()]);
                } else {
                    id[n] = e.binary((dev.ember.core.spi.BinaryOp) node.op(), id[node.left()], id[node.right()]);
                }
            }
            int[] outputs = new int[outNodes.size()];
            for (int k = 0; k < outputs.length; k++) {
                outputs[k] = id[outNodes.get(k)];
            }
            Operand[] operands = new Operand[inputs.size()];
            for (int k = 0; k < operands.length; k++) {
                Input in = inputs.get(k);
                operands[k] = in.dense() ? Operand.dense(in.span(), gridCols)
                        : new Operand(in.span(), in.rowStride(), in.colStride());
            }
            return new Calls.Evaluate(e.build(outputs), gridRows, gridCols, operands, outSpans.toArray(Span[]::new));
        }

        private static boolean touchedBy(List<Call> calls, DeviceBuffer b) {
            for (Call c : calls) {
                if (Plan.touches(c, b)) {
                    return true;
                }
            }
            return false;
        }
    }
}
