package dev.ember.core;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Frees every tensor created inside it, on the thread that opened it:
 * <pre>{@code
 * try (var scope = Scope.open()) {
 *     Tensor h = x.matmul(w).relu();      // freed when the scope closes
 *     result = scope.keep(h.sum(0));     // survives: handed to the enclosing scope, if any
 * }
 * }</pre>
 * Scopes nest; a kept tensor moves to the enclosing scope, or becomes unscoped at the outermost
 * level (then its owner closes it).
 *
 * <p>A scope holds only open tensors: closing one by hand on the scope's thread removes it at once
 * (constant time), and those closed on other threads are swept out before the scope's table grows,
 * so a long-lived scope around many hand-closed tensors keeps no memory for them.
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Deque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
    /** Scopes open on any thread: while none is, a new tensor skips the thread-local lookup. */
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final Tensor[] NONE = {};

    /** The tensors this scope will close, in slots {@code [0, count)}; each knows its slot ({@code Tensor.scopeSlot}). */
    private Tensor[] owned = NONE;
    private int count;
    private final Thread thread = Thread.currentThread();
    /** A barrier pushed by {@link #unscoped}: tensors made under it belong to no scope. */
    private final boolean barrier;
    private boolean closed;

    private Scope() {
        this(false);
    }

    private Scope(boolean barrier) {
        this.barrier = barrier;
    }

    public static Scope open() {
        Scope scope = new Scope();
        STACK.get().push(scope);
        OPEN.incrementAndGet();
        return scope;
    }

    /**
     * Runs {@code body} so that the tensors it creates belong to no open scope: for state that
     * outlives the step that happens to create it (weights built lazily on the first batch, an
     * optimiser's moments, a traced function's buffers), which its owner closes.
     */
    public static <T> T unscoped(java.util.function.Supplier<T> body) {
        Deque<Scope> stack = STACK.get();
        Scope barrier = new Scope(true);
        stack.push(barrier);
        OPEN.incrementAndGet();
        try {
            return body.get();
        } finally {
            stack.remove(barrier);
            OPEN.decrementAndGet();
        }
    }

    /** Called by every tensor constructor. */
    static void register(Tensor tensor) {
        if (OPEN.get() == 0) {
            return;
        }
        Scope current = STACK.get().peek();
        if (current != null && !current.barrier) {
            current.add(tensor);
        }
    }

    /**
     * Called by {@code Tensor.close}: a tensor closed on its scope's thread leaves the scope at once.
     * One closed on another thread stays until the next sweep ({@link #add}); every scope a tensor
     * ever belongs to is on the thread that created it, so this thread test is all the safety needed.
     */
    static void forget(Tensor tensor) {
        Scope s = tensor.scope;
        if (s != null && s.thread == Thread.currentThread() && !s.closed) {
            s.remove(tensor);
        }
    }

    private void add(Tensor tensor) {
        if (count == owned.length) {
            sweepClosed();
            if (count == owned.length || count > owned.length / 2) {   // full, or over half full after the sweep
                owned = Arrays.copyOf(owned, Math.max(16, owned.length * 2));
            }
        }
        tensor.scope = this;
        tensor.scopeSlot = count;
        owned[count++] = tensor;
    }

    /** Constant time: the last tensor moves into the freed slot (closing order does not matter). */
    private void remove(Tensor tensor) {
        int slot = tensor.scopeSlot;
        Tensor last = owned[--count];
        owned[slot] = last;
        last.scopeSlot = slot;
        owned[count] = null;
        tensor.scope = null;
    }

    /** Drops the tensors other threads closed. */
    private void sweepClosed() {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            Tensor t = owned[i];
            if (t.isClosed()) {
                t.scope = null;
            } else {
                t.scopeSlot = kept;
                owned[kept++] = t;
            }
        }
        Arrays.fill(owned, kept, count, null);
        count = kept;
    }

    /** Removes {@code tensor} from this scope and hands it to the enclosing one; returns it. */
    public Tensor keep(Tensor tensor) {
        if (!keepIfOwned(tensor)) {
            throw new IllegalArgumentException("scope.keep: tensor " + tensor + " was not created in this scope"
                    + (tensor.isClosed() ? " or is closed" : ""));
        }
        return tensor;
    }

    /** {@link #keep} for an open tensor this scope owns; false (and nothing done) for any other. */
    boolean keepIfOwned(Tensor tensor) {
        checkOpen("keep");
        if (tensor.scope != this || tensor.isClosed()) {
            return false;
        }
        remove(tensor);
        Deque<Scope> stack = STACK.get();
        Scope parent = null;
        boolean seenThis = false;
        for (Scope s : stack) {
            if (seenThis) {
                parent = s;
                break;
            }
            seenThis = s == this;
        }
        if (parent != null && !parent.barrier) {
            parent.add(tensor);
        }
        return true;
    }

    /** Number of open tensors this scope will free. */
    public int liveTensors() {
        int live = 0;
        for (int i = 0; i < count; i++) {
            live += owned[i].isClosed() ? 0 : 1;
        }
        return live;
    }

    /** Number of tensors this scope references, open or (closed on another thread and not yet swept) closed. */
    int trackedTensors() {
        return count;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        checkOpen("close");
        Deque<Scope> stack = STACK.get();
        if (stack.peek() != this) {
            throw new IllegalStateException("scope.close: scopes must be closed innermost first");
        }
        stack.pop();
        OPEN.decrementAndGet();
        closed = true;   // from here on, the closes below leave the table alone
        for (int i = count - 1; i >= 0; i--) {
            owned[i].scope = null;
            owned[i].close();
            owned[i] = null;
        }
        count = 0;
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException("scope." + operation + ": the scope is already closed");
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("scope." + operation + ": a scope must be used on the thread that opened it ("
                    + thread.getName() + ")");
        }
    }
}
