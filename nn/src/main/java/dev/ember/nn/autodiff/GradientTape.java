package dev.ember.nn.autodiff;

import dev.ember.core.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records differentiable operations (those of {@link dev.ember.nn.ops.F}) while it is open, and
 * computes gradients of a target with respect to sources by reverse-mode differentiation.
 *
 * <pre>{@code
 * try (var tape = new GradientTape()) {
 *     Tensor logits = F.dense(x, w.value(), b.value());   // w, b trainable variables: watched automatically
 *     Tensor loss = F.softmaxCrossEntropy(logits, y);
 *     List<Tensor> grads = tape.gradient(loss, List.of(w, b));   // owned by the caller
 *     optimizer.apply(List.of(w, b), grads);
 *     grads.forEach(Tensor::close);
 * }   // every intermediate made by the recorded ops is freed here
 * }</pre>
 *
 * <ul>
 *   <li><b>Watching.</b> Trainable {@link Variable}s are watched automatically; any other tensor is a
 *       constant unless passed to {@link #watch}. Only operations with at least one watched (or
 *       derived-from-watched) input are recorded.</li>
 *   <li><b>Ownership.</b> While a tape is open, every output of a recording op (and what it saves for
 *       its backward pass) belongs to the innermost open tape and is freed when it closes; call
 *       {@link #keep} to take one out. Gradients returned by {@link #gradient} belong to the caller.</li>
 *   <li><b>Single use.</b> {@link #gradient} may be called once, unless the tape was opened with
 *       {@link #persistent()}.</li>
 *   <li>Tapes are per thread, nest, and must be closed innermost first (try-with-resources).</li>
 * </ul>
 */
public final class GradientTape implements AutoCloseable {
    private static final ThreadLocal<Deque<GradientTape>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

    private final boolean persistent;
    private final Thread thread = Thread.currentThread();
    /** Tensors gradients flow to: watched leaves and trainable variables (mapped to null), recorded outputs (to their node). */
    private final Map<Tensor, Node> tracked = new IdentityHashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Tensor> owned = new ArrayList<>();
    private boolean used;
    private boolean closed;

    /** Opens a single-use tape and makes it the innermost active tape of this thread. */
    public GradientTape() {
        this(false);
    }

    private GradientTape(boolean persistent) {
        this.persistent = persistent;
        ACTIVE.get().push(this);
    }

    /** Opens a tape whose {@link #gradient} may be called several times. */
    public static GradientTape persistent() {
        return new GradientTape(true);
    }

    /** Whether any tape is open on this thread (then recording ops' outputs belong to a tape). */
    public static boolean isActive() {
        return !ACTIVE.get().isEmpty();
    }

    static Deque<GradientTape> active() {
        return ACTIVE.get();
    }

    public boolean isPersistent() {
        return persistent;
    }

    /** Marks a constant tensor as a source of gradients. Returns it. */
    public Tensor watch(Tensor tensor) {
        checkOpen("watch");
        if (tensor == null || tensor.isClosed()) {
            throw new IllegalArgumentException("tape.watch: tensor must be open");
        }
        tracked.putIfAbsent(tensor, null);
        return tensor;
    }

    /** Watches a variable explicitly (needed only for non-trainable ones). */
    public Variable watch(Variable variable) {
        watch(variable.value());
        return variable;
    }

    /** Whether gradients would flow to {@code tensor}: watched, a trainable variable, or derived from one. */
    public boolean isTracked(Tensor tensor) {
        if (tracked.containsKey(tensor)) {
            return true;
        }
        Variable v = Variable.owning(tensor);
        if (v != null && v.trainable()) {
            tracked.put(tensor, null);
            return true;
        }
        return false;
    }

    /** Removes {@code tensor} from this tape's ownership: it survives {@link #close()}, and the caller closes it. */
    public Tensor keep(Tensor tensor) {
        checkOpen("keep");
        for (int i = owned.size() - 1; i >= 0; i--) {
            if (owned.get(i) == tensor) {
                owned.remove(i);
                return tensor;
            }
        }
        throw new IllegalArgumentException("tape.keep: " + tensor + " is not owned by this tape");
    }

    /** Number of recorded operations. */
    public int size() {
        return nodes.size();
    }

    // ---------------------------------------------------------------- recording (called by Recorder)

    void own(Tensor tensor) {
        owned.add(tensor);
    }

    /** Records an operation; its inputs' producers are looked up on this tape as it is recorded. */
    void add(String name, Tensor output, Tensor[] inputs, Backward backward) {
        Node[] producers = new Node[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            producers[k] = tracked.get(inputs[k]);
        }
        Node node = new Node(name, output, inputs, backward, nodes.size(), producers);
        nodes.add(node);
        tracked.put(output, node);
    }

    // ---------------------------------------------------------------- gradients

    /** Gradient of {@code target} with respect to one source; {@code null} if the target does not depend on it. */
    public Tensor gradient(Tensor target, Tensor source) {
        return gradient(target, new Tensor[] {source})[0];
    }

    /** Gradient with respect to one variable; {@code null} if the target does not depend on it. */
    public Tensor gradient(Tensor target, Variable source) {
        return gradient(target, new Tensor[] {source.value()})[0];
    }

    /** Gradients with respect to {@code variables}, in order (an entry is {@code null} where unconnected). */
    public List<Tensor> gradient(Tensor target, List<Variable> variables) {
        Tensor[] sources = new Tensor[variables.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = variables.get(i).value();
        }
        return java.util.Arrays.asList(gradient(target, sources));
    }

    /**
     * Reverse-mode gradients of {@code target} (summed over its elements if it is not a scalar) with
     * respect to each source. Entries are {@code null} where the target does not depend on the source
     * (including constants that were not watched). Returned tensors are contiguous and owned by the caller.
     */
    public Tensor[] gradient(Tensor target, Tensor... sources) {
        checkOpen("gradient");
        if (used && !persistent) {
            throw new IllegalStateException("tape.gradient: this tape was already used; a tape computes gradients once"
                    + " unless opened with GradientTape.persistent()");
        }
        used = true;
        Tensor[] result = new Tensor[sources.length];
        if (!tracked.containsKey(target)) {
            return result;
        }
        boolean[] wanted = new boolean[sources.length];
        for (int i = 0; i < sources.length; i++) {
            wanted[i] = sources[i] != null && isTracked(sources[i]);   // constants not watched get no gradient
        }
        // Forward sweep: which nodes lie on a path from a source (their gradients are needed).
        int n = nodes.size();
        boolean[] relevant = new boolean[n];
        for (int i = 0; i < n; i++) {
            Node node = nodes.get(i);
            for (int k = 0; k < node.inputs().length && !relevant[i]; k++) {
                relevant[i] = needs(node, k, relevant, sources, wanted);
            }
        }
        Node last = tracked.get(target);
        boolean targetRelevant = (last != null && relevant[last.index()]) || indexOf(sources, wanted, target) >= 0;
        if (!targetRelevant) {
            return result;
        }
        // Gradients of node outputs live in their node's slot, those of leaf sources in the source's.
        Gradients grads = new Gradients(n, sources.length);
        try {
            grads.accumulate(slot(last, target, n, sources, wanted),
                    Tensor.full(target.backend(), target.dtype(), 1.0, target.shape().dims()));
            for (int i = last == null ? -1 : last.index(); i >= 0; i--) {
                Node node = nodes.get(i);
                Tensor g = grads.get(i);
                if (g == null) {
                    continue;
                }
                int arity = node.inputs().length;
                boolean[] needed = new boolean[arity];
                boolean any = false;
                for (int k = 0; k < arity; k++) {
                    needed[k] = needs(node, k, relevant, sources, wanted);
                    any |= needed[k];
                }
                if (!any) {
                    continue;
                }
                Tensor[] inGrads = node.backward().apply(g, needed);
                for (int k = 0; k < arity; k++) {
                    if (needed[k] && inGrads[k] != null) {
                        checkShape(node, k, inGrads[k]);
                        grads.accumulate(slot(node.producers()[k], node.inputs()[k], n, sources, wanted), inGrads[k]);
                    }
                }
                if (indexOf(sources, wanted, node.output()) < 0) {
                    grads.remove(i);   // consumed: free it now rather than at the end
                }
            }
            for (int i = 0; i < sources.length; i++) {
                if (!wanted[i]) {
                    continue;
                }
                int slot = slot(tracked.get(sources[i]), sources[i], n, sources, wanted);
                Tensor g = grads.get(slot);
                if (g != null) {
                    // hand the stored tensor itself to the caller (no extra view) unless a source repeats
                    result[i] = g.isContiguous() && !repeated(sources, i) ? grads.take(slot)
                            : g.isContiguous() ? g.reshape(g.shape().dims()) : g.copy();
                }
            }
            return result;
        } catch (RuntimeException e) {
            for (Tensor r : result) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        } finally {
            grads.closeAll();
        }
    }

    /** Whether gradients must flow into input {@code k} of {@code node}: a wanted source, or the output of a relevant node. */
    private static boolean needs(Node node, int k, boolean[] relevant, Tensor[] sources, boolean[] wanted) {
        Node p = node.producers()[k];
        return (p != null && relevant[p.index()]) || indexOf(sources, wanted, node.inputs()[k]) >= 0;
    }

    /** Where the gradient of {@code t} lives: its producer's slot, or after the {@code n} node slots for a leaf source. */
    private static int slot(Node producer, Tensor t, int n, Tensor[] sources, boolean[] wanted) {
        return producer != null ? producer.index() : n + indexOf(sources, wanted, t);
    }

    /** The first position of {@code t} among the wanted sources, or -1 (a handful of sources: a scan beats hashing). */
    private static int indexOf(Tensor[] sources, boolean[] wanted, Tensor t) {
        for (int i = 0; i < sources.length; i++) {
            if (wanted[i] && sources[i] == t) {
                return i;
            }
        }
        return -1;
    }

    private static boolean repeated(Tensor[] sources, int i) {
        for (int j = 0; j < sources.length; j++) {
            if (j != i && sources[j] == sources[i]) {
                return true;
            }
        }
        return false;
    }

    private static void checkShape(Node n, int k, Tensor grad) {
        if (!grad.shape().equals(n.inputs()[k].shape())) {
            throw new IllegalStateException("tape.gradient: backward of '" + n.name() + "' returned a gradient of shape "
                    + grad.shape() + " for input " + k + " of shape " + n.inputs()[k].shape());
        }
    }

    /**
     * Gradients by slot (a node's output, or a leaf source after the nodes). Every stored tensor is a
     * distinct Java object, so each can be closed on its own; the stored ones are also listed
     * densely ({@code live}: the frontier of the backward sweep, a handful) for the identity check.
     */
    private static final class Gradients {
        private final Tensor[] slots;
        private final Tensor[] live;
        private int liveCount;

        Gradients(int nodes, int sources) {
            this.slots = new Tensor[nodes + sources];
            this.live = new Tensor[slots.length];
        }

        Tensor get(int slot) {
            return slots[slot];
        }

        void accumulate(int slot, Tensor grad) {
            // a backward may hand back its upstream gradient or share one tensor between inputs:
            // store a view then, so closing one entry never frees another
            Tensor own = isStored(grad) ? grad.reshape(grad.shape().dims()) : grad;
            Tensor old = slots[slot];
            if (old == null) {
                store(slot, own);
                return;
            }
            unstore(slot);
            try (old; own) {
                store(slot, old.add(own));
            }
        }

        /** Removes the gradient in {@code slot} without closing it: the caller owns it now. */
        Tensor take(int slot) {
            Tensor g = slots[slot];
            unstore(slot);
            return g;
        }

        void remove(int slot) {
            Tensor g = slots[slot];
            if (g != null) {
                unstore(slot);
                g.close();   // views a backward returned keep the storage alive
            }
        }

        void closeAll() {
            for (int i = 0; i < liveCount; i++) {
                live[i].close();
                live[i] = null;
            }
            liveCount = 0;
            java.util.Arrays.fill(slots, null);
        }

        private void store(int slot, Tensor t) {
            slots[slot] = t;
            live[liveCount++] = t;
        }

        private void unstore(int slot) {
            Tensor t = slots[slot];
            slots[slot] = null;
            for (int i = 0; i < liveCount; i++) {
                if (live[i] == t) {
                    live[i] = live[--liveCount];
                    live[liveCount] = null;
                    return;
                }
            }
        }

        private boolean isStored(Tensor t) {
            for (int i = 0; i < liveCount; i++) {
                if (live[i] == t) {
                    return true;
                }
            }
            return false;
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("tape." + operation + ": the tape is closed");
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("tape." + operation + ": a tape must be used on the thread that opened it");
        }
    }

    /** Frees every intermediate this tape owns and stops recording. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Deque<GradientTape> stack = ACTIVE.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("tape.close: tapes must be closed innermost first");
        }
        stack.pop();
        closed = true;
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
        nodes.clear();
        tracked.clear();
    }
}
