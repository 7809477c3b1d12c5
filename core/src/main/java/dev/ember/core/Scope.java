package dev.ember.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Deque<Scope>> STACK = ThreadLocal.withInitial(ArrayDeque::new);
    /** Scopes open on any thread: while none is, a new tensor skips the thread-local lookup. */
    private static final AtomicInteger OPEN = new AtomicInteger();

    private final List<Tensor> owned = new ArrayList<>();
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
            current.owned.add(tensor);
        }
    }

    /** Removes {@code tensor} from this scope and hands it to the enclosing one; returns it. */
    public Tensor keep(Tensor tensor) {
        if (!keepIfOwned(tensor)) {
            throw new IllegalArgumentException("scope.keep: tensor " + tensor + " was not created in this scope");
        }
        return tensor;
    }

    /** {@link #keep} for a tensor this scope owns; false (and nothing done) for any other. */
    boolean keepIfOwned(Tensor tensor) {
        checkOpen("keep");
        if (!owned.remove(tensor)) {
            return false;
        }
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
            parent.owned.add(tensor);
        }
        return true;
    }

    /** Number of open tensors this scope will free. */
    public int liveTensors() {
        return (int) owned.stream().filter(t -> !t.isClosed()).count();
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
        closed = true;
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
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
