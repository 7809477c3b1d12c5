package dev.ember.core;

import dev.ember.core.trace.Call;
import dev.ember.core.trace.Recording;
import dev.ember.core.spi.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Traced execution, Ember's {@code tf.function}: {@link #function} turns a step into a
 * {@link TracedFunction} that records the backend calls of its first run for each input signature
 * and replays them afterwards. This class also holds the hooks the core uses while a function is
 * traced on the current thread.
 */
public final class Tracing {
    /** Recordings open on any thread: while there is none, dispatch skips the thread-local lookup. */
    private static final AtomicInteger RECORDING = new AtomicInteger();
    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    /** What one trace collects besides the calls: the host work to redo at every replay. */
    static final class Context {
        final Recording recording;
        final List<Runnable> everyCall = new ArrayList<>();

        Context(Recording recording) {
            this.recording = recording;
        }
    }

    private Tracing() {
    }

    /**
     * A traced version of {@code body}, which maps input tensors to output tensors. See
     * {@link TracedFunction} for what is recorded, what is frozen and when it traces again.
     */
    public static TracedFunction function(String name, Function<Tensor[], Tensor[]> body) {
        if (name == null || body == null) {
            throw new IllegalArgumentException("trace: name and body must not be null");
        }
        return new TracedFunction(name, body);
    }

    /** Whether a function is being traced on this thread. */
    public static boolean isTracing() {
        return RECORDING.get() != 0 && CURRENT.get() != null;
    }

    /**
     * Runs {@code hostWork} now and, when a function is being traced on this thread, again before
     * every replay of that trace: for host state a step advances, such as an optimiser's step count
     * or a dropout layer's mask counter, and the {@link LiveScalar}s set from it. Host work must not
     * read device values (it runs before the replayed calls).
     */
    public static void everyCall(Runnable hostWork) {
        hostWork.run();
        Context c = current();
        if (c != null) {
            c.everyCall.add(hostWork);
        }
    }

    // ---------------------------------------------------------------- hooks for the core

    static Context current() {
        return RECORDING.get() == 0 ? null : CURRENT.get();
    }

    /**
     * The backend an operation on {@code real}'s tensors talks to, and the one that allocates (and
     * later frees) a new tensor's buffer there: the recording while tracing on it.
     */
    static Backend dispatch(Backend real) {
        if (RECORDING.get() == 0) {
            return real;
        }
        Context c = CURRENT.get();
        return c != null && c.recording.target() == real ? c.recording : real;
    }

    /** Runs {@code call} through the recording when tracing on {@code real}, else directly. */
    static void issue(Backend real, Call call) {
        Backend b = dispatch(real);
        if (b instanceof Recording r) {
            r.record(call);
        } else {
            call.run(b);
        }
    }

    static void begin(Context context) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("trace: already tracing on this thread");
        }
        CURRENT.set(context);
        RECORDING.incrementAndGet();
    }

    static void end(Context context) {
        if (CURRENT.get() == context) {
            CURRENT.remove();
            RECORDING.decrementAndGet();
        }
    }
}
