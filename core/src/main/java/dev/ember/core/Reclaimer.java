package dev.ember.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The safety net behind {@link Storage}: frees the buffer of a storage that became unreachable while
 * still holding it. It works like {@link java.lang.ref.Cleaner} (a daemon thread runs the actions of
 * phantom-reachable owners), with one addition the Cleaner lacks: {@link #reclaimUnreachable()} lets
 * an allocation that ran out of memory collect garbage and free, on its own thread and before it
 * retries, every buffer the collector found unreachable, instead of hoping the background thread
 * gets there first.
 */
final class Reclaimer {
    private static final System.Logger LOG = System.getLogger(Reclaimer.class.getName());
    private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
    /** Registrations whose action has not run: the phantom references must stay reachable until then. */
    private static final Set<Registration> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Thread.ofPlatform().name("ember-reclaimer").daemon().start(Reclaimer::drain);
    }

    private Reclaimer() {
    }

    /** What to do once: {@code unreachable} tells whether the owner was dropped without an explicit run. */
    interface Action {
        void run(boolean unreachable);
    }

    /** Runs {@code action} when {@code owner} becomes unreachable, unless {@link Registration#run} ran it first. */
    static Registration register(Object owner, Action action) {
        Registration r = new Registration(owner, action);
        PENDING.add(r);
        return r;
    }

    /** Number of registrations whose action has not run yet (owners alive or not yet reclaimed). */
    static int pending() {
        return PENDING.size();
    }

    /**
     * Collects garbage, then runs, on this thread, the action of every owner the collector found
     * unreachable (the collector clears a phantom reference when it finds its referent unreachable, so
     * this does not wait for the daemon). Returns how many actions it ran.
     */
    static int reclaimUnreachable() {
        System.gc();
        int ran = 0;
        for (Registration r : PENDING) {
            if (r.refersTo(null) && r.run(true)) {
                ran++;
            }
        }
        awaitRunning();
        return ran;
    }

    /**
     * Waits (at most a second) until no action the daemon took is still running: a registration
     * leaves {@link #PENDING} only once its buffer is freed, so the caller's retry sees the memory.
     */
    private static void awaitRunning() {
        long deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            boolean running = false;
            for (Registration r : PENDING) {
                if (r.refersTo(null) && r.done) {
                    running = true;
                    break;
                }
            }
            if (!running) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    private static void drain() {
        while (true) {
            try {
                ((Registration) QUEUE.remove()).run(true);
            } catch (InterruptedException e) {
                // a daemon that must keep draining: nothing to stop for
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "freeing an unreachable tensor's buffer failed", e);
            }
        }
    }

    /** One owner's registration; its action runs exactly once, from whichever thread gets there first. */
    static final class Registration extends PhantomReference<Object> {
        private static final VarHandle DONE;

        static {
            try {
                DONE = MethodHandles.lookup().findVarHandle(Registration.class, "done", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Action action;
        /** Set (through DONE) when a thread takes the action. */
        private volatile boolean done;

        private Registration(Object owner, Action action) {
            super(owner, QUEUE);
            this.action = action;
        }

        /** Runs the action if nobody has; false if it had already run. */
        boolean run(boolean unreachable) {
            if (!DONE.compareAndSet(this, false, true)) {
                return false;
            }
            try {
                action.run(unreachable);
            } finally {
                PENDING.remove(this);   // after the free: awaitRunning relies on it
            }
            return true;
        }
    }
}
