package dev.ember.nn.autodiff;

import dev.ember.core.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Set<Tensor> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
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
        tracked.add(tensor);
        return tensor;
    }

    /** Watches a variable explicitly (needed only for non-trainable ones). */
    public Variable watch(Variable variable) {
        watch(variable.value());
        return variable;
    }

    /** Whether gradients would flow to {@code tensor}: watched, a trainable variable, or derived from one. */
    public boolean isTracked(Tensor tensor) {
        if (tracked.contains(tensor)) {
            return true;
        }
        Variable v = Variable.owning(tensor);
        if (v != null && v.trainable()) {
            tracked.add(tensor);
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

    void add(Node node) {
        nodes.add(node);
        tracked.add(node.output());
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
        if (!tracked.contains(target)) {
            return result;
        }
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor s : sources) {
            if (s != null && isTracked(s)) {   // constants that were not watched get no gradient
                wanted.add(s);
            }
        }
        // Forward sweep: which tensors lie on a path from a source (their gradients are needed).
        Set<Tensor> relevant = Collections.newSetFromMap(new IdentityHashMap<>());
        relevant.addAll(wanted);
        int last = -1;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            for (Tensor in : n.inputs()) {
                if (relevant.contains(in)) {
                    relevant.add(n.output());
                    break;
                }
            }
            if (n.output() == target) {
                last = i;
            }
        }
        if (!relevant.contains(target)) {
            return result;
        }
        GradientMap grads = new GradientMap();
        try {
            grads.accumulate(target, Tensor.full(target.backend(), target.dtype(), 1.0, target.shape().dims()));
            for (int i = last; i >= 0; i--) {
                Node n = nodes.get(i);
                Tensor g = grads.get(n.output());
                if (g == null) {
                    continue;
                }
                boolean[] needed = new boolean[n.inputs().length];
                boolean any = false;
                for (int k = 0; k < needed.length; k++) {
                    needed[k] = relevant.contains(n.inputs()[k]);
                    any |= needed[k];
                }
                if (!any) {
                    continue;
                }
                Tensor[] inGrads = n.backward().apply(g, needed);
                for (int k = 0; k < needed.length; k++) {
                    if (needed[k] && inGrads[k] != null) {
                        checkShape(n, k, inGrads[k]);
                        grads.accumulate(n.inputs()[k], inGrads[k]);
                    }
                }
                if (!wanted.contains(n.output())) {
                    grads.remove(n.output());
                }
            }
            for (int i = 0; i < sources.length; i++) {
                Tensor g = wanted.contains(sources[i]) ? grads.get(sources[i]) : null;
                if (g != null) {
                    // hand the stored tensor itself to the caller (no extra view) unless a source repeats
                    result[i] = g.isContiguous() && !repeated(sources, i) ? grads.take(sources[i])
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

    /** Gradients by tensor; every stored tensor is a distinct Java object so each can be closed on its own. */
    private static final class GradientMap {
        private final Map<Tensor, Tensor> map = new IdentityHashMap<>();
        private final Set<Tensor> stored = Collections.newSetFromMap(new IdentityHashMap<>());

        Tensor get(Tensor key) {
            return map.get(key);
        }

        void accumulate(Tensor key, Tensor grad) {
            // a backward may hand back its upstream gradient or share one tensor between inputs:
            // store a view then, so closing one entry never frees another
            Tensor own = stored.contains(grad) ? grad.reshape(grad.shape().dims()) : grad;
            Tensor old = map.get(key);
            if (old == null) {
                map.put(key, own);
                stored.add(own);
                return;
            }
            Tensor sum = old.add(own);
            close(old);
            close(own);
            map.put(key, sum);
            stored.add(sum);
        }

        /** Removes the gradient of {@code key} without closing it: the caller owns it now. */
        Tensor take(Tensor key) {
            Tensor g = map.remove(key);
            stored.remove(g);
            return g;
        }

        void remove(Tensor key) {
            Tensor g = map.remove(key);
            if (g != null) {
                close(g);   // views a backward returned keep the storage alive
            }
        }

        private void close(Tensor t) {
            stored.remove(t);
            t.close();
        }

        void closeAll() {
            for (Tensor t : stored) {
                t.close();
            }
            stored.clear();
            map.clear();
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
