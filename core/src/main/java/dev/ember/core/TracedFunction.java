package dev.ember.core;

import dev.ember.core.spi.Backend;
import dev.ember.core.spi.DeviceBuffer;
import dev.ember.core.spi.Span;
import dev.ember.core.trace.Plan;
import dev.ember.core.trace.Recording;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A step function that is recorded once per input signature and replayed afterwards, as
 * TensorFlow's {@code tf.function} (make one with {@link Tracing#function}).
 *
 * <p><b>Tracing.</b> The first call for a signature (the inputs' backend, dtype and shape) runs the
 * body once for real while recording every backend call it makes; that recording is then planned
 * ({@link Plan}: element-wise runs fused into one kernel, temporaries given memory once by
 * liveness) and later calls with the same signature replay the plan: they copy the inputs into the
 * plan's input buffers, run the {@link Tracing#everyCall} host work, and issue the planned calls,
 * without running the body's Java code at all. A call with a new signature traces again; count
 * them with {@link #traceCount()} to catch accidental retracing (a last, smaller batch is one).
 *
 * <p><b>What is frozen.</b> Only backend calls are replayed, so everything the body decides in Java
 * is decided once, at trace time, exactly as in {@code tf.function}:
 * <pre>{@code
 * TracedFunction step = Tracing.function("step", in -> {
 *     Tensor x = in[0];
 *     if (useDropout) {            // read once, at trace time: later changes to the field do nothing
 *         x = dropout(x);
 *     }
 *     double lr = schedule.now();  // a plain double is frozen too: use a LiveScalar for per-step values
 *     ...
 *     return new Tensor[] {loss};
 * });
 * }</pre>
 * Host values that must change from call to call (a learning rate, an optimiser's step count, a
 * dropout stream) are {@link LiveScalar}s advanced in {@link Tracing#everyCall} blocks. A body
 * cannot read device values to the host while traced (that fails with a message saying so).
 *
 * <p><b>Ownership.</b> The tensors a call returns belong to the caller, but they are views of the
 * plan's output buffers, which the next call overwrites: copy what you keep. Tensors the body
 * creates and does not return are freed when the trace ends, as if the body ran in a {@link Scope}
 * (so they are the step's temporaries); state the body creates to keep (weights built on the first
 * batch, an optimiser's moments) must be made under {@link Scope#unscoped}, as the nn layers and
 * optimisers do. Tensors the body uses without creating them (parameters, optimiser state) must
 * stay open while the function is used.
 * The function owns its plans' memory until {@link #close}. Use it from one thread at a time.
 */
public final class TracedFunction implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TracedFunction.class.getName());
    private static final Tensor[] NONE = new Tensor[0];
    /** Traces after which each further one is logged as a warning. */
    private static final int RETRACE_WARNING = 4;

    private final String name;
    private final Function<Tensor[], Tensor[]> body;
    private final List<Trace> traces = new ArrayList<>();
    private Trace last;
    private boolean closed;

    TracedFunction(String name, Function<Tensor[], Tensor[]> body) {
        this.name = name;
        this.body = body;
    }

    public String name() {
        return name;
    }

    /** How many times the body has been traced (once per signature seen). */
    public int traceCount() {
        return traces.size();
    }

    /** What planning did for each trace, in the order they were made. */
    public List<Plan.Stats> plans() {
        List<Plan.Stats> s = new ArrayList<>(traces.size());
        for (Trace t : traces) {
            s.add(t.plan.stats());
        }
        return s;
    }

    /**
     * Each planned call of the most recently used trace with its median time over {@code replays}
     * replays, in microseconds, timed one call at a time (see {@link Plan#profile}); empty before
     * the first call.
     */
    public List<java.util.Map.Entry<String, Double>> profile(int replays) {
        return last == null ? List.of() : last.plan.profile(replays);
    }

    /**
     * Runs the function on {@code inputs}: traces it for a new signature, else replays the trace.
     * Inside another traced function the body simply runs (and is recorded into the outer trace).
     */
    public Tensor[] call(Tensor... inputs) {
        return invoke(inputs, true);
    }

    /**
     * As {@link #call}, for a caller that reads the results through the tensors an earlier call of
     * the same signature returned (views of the trace's output buffers, which every replay
     * overwrites): a replay then allocates nothing on the Java heap. Returns whether this call
     * traced (on a trace, the freshly returned outputs are closed: call {@link #call} to get them).
     */
    public boolean run(Tensor... inputs) {
        int before = traces.size();
        Tensor[] out = invoke(inputs, false);
        if (traces.size() == before) {
            return false;
        }
        for (Tensor t : out) {
            t.close();
        }
        return true;
    }

    /**
     * The buffers the most recently used trace copies its inputs into, as tensors the caller may fill
     * itself (views: close them when done; they keep the buffers alive). A call that passes them
     * back as its inputs skips the copy: a serving loop writes each request straight into them. A
     * body that writes into its own inputs then writes into these.
     */
    public Tensor[] boundInputs() {
        if (last == null) {
            throw new IllegalStateException("trace '" + name + "': boundInputs before the first call");
        }
        Tensor[] views = new Tensor[last.slots.length];
        for (int i = 0; i < views.length; i++) {
            views[i] = last.slots[i].share();
        }
        return views;
    }

    private Tensor[] invoke(Tensor[] inputs, boolean wantOutputs) {
        if (closed) {
            throw new IllegalStateException("trace '" + name + "': called after close");
        }
        if (inputs == null) {
            throw new IllegalArgumentException("trace '" + name + "': inputs must not be null");
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException("trace '" + name + "': input " + i + " is null");
            }
            if (inputs[i].isClosed()) {   // the message only on failure: a replay builds no strings
                inputs[i].checkOpen("trace '" + name + "' input " + i);
            }
        }
        if (Tracing.isTracing()) {
            return body.apply(inputs);
        }
        Trace t = last != null && last.matches(inputs) ? last : find(inputs);
        if (t == null) {
            return trace(inputs);
        }
        last = t;
        return t.replay(inputs, wantOutputs);
    }

    private Trace find(Tensor[] inputs) {
        for (Trace t : traces) {
            if (t.matches(inputs)) {
                return t;
            }
        }
        return null;
    }

    private Tensor[] trace(Tensor[] inputs) {
        Backend backend = inputs.length == 0 ? Backends.get() : inputs[0].backend();
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i].backend() != backend) {
                throw new IllegalArgumentException("trace '" + name + "': inputs must share one backend, input " + i
                        + " is on " + inputs[i].backend().name() + " and input 0 on " + backend.name());
            }
        }
        Tensor[] slots = Scope.unscoped(() -> {   // the trace's own buffers: a caller's scope must not close them
            Tensor[] made = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                made[i] = Tensor.zeros(backend, inputs[i].dtype(), inputs[i].shape());
                made[i].assign(inputs[i]);
            }
            return made;
        });
        Tracing.Context context = new Tracing.Context(new Recording(backend, name));
        Tensor[] outputs;
        Tensor[] kept;
        Tracing.begin(context);
        try (Scope traceScope = Scope.open()) {   // what the body makes and does not return is a temporary
            outputs = body.apply(slots);
            outputs = outputs == null ? NONE : outputs;
            Tensor[] returned = outputs;
            kept = Scope.unscoped(() -> keep(returned, backend));
            for (Tensor o : outputs) {
                traceScope.keepIfOwned(o);
            }
        } catch (RuntimeException | Error failure) {
            context.recording.abandon();
            for (Tensor s : slots) {
                s.close();
            }
            throw failure;
        } finally {
            Tracing.end(context);
        }
        Set<DeviceBuffer> outputBuffers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor k : kept) {
            outputBuffers.add(k.span().buffer());
        }
        Plan plan = Plan.build(context.recording, outputBuffers);
        Trace t = new Trace(inputs, slots, kept, plan, context.everyCall.toArray(Runnable[]::new));
        traces.add(t);
        last = t;
        Plan.Stats s = plan.stats();
        LOG.log(traces.size() > RETRACE_WARNING ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                () -> "trace '" + name + "' #" + traces.size() + " for " + signature(inputs) + ": " + s.recordedCalls()
                        + " calls recorded, " + s.calls() + " to replay (" + s.fusedCalls() + " fused), "
                        + s.temporaries() + " temporaries in " + s.buffers() + " buffers"
                        + (traces.size() > RETRACE_WARNING ? "; tracing this often means the input shapes keep"
                        + " changing (pad or bucket them)" : ""));
        return outputs;
    }

    /** The plan's own views of the outputs, which keep their buffers alive whatever the caller closes. */
    private Tensor[] keep(Tensor[] outputs, Backend backend) {
        for (int i = 0; i < outputs.length; i++) {   // all checked before any view is made
            Tensor o = outputs[i];
            if (o == null || o.isClosed() || o.backend() != backend) {
                throw new IllegalArgumentException("trace '" + name + "': output " + i + " must be an open tensor on "
                        + backend.name() + ", got " + o);
            }
        }
        Tensor[] kept = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            kept[i] = outputs[i].share();
        }
        return kept;
    }

    private static String signature(Tensor[] inputs) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < inputs.length; i++) {
            b.append(i == 0 ? "" : ", ").append(inputs[i].dtype()).append(inputs[i].shape());
        }
        return b.append(')').toString();
    }

    /** Frees every trace's memory. Tensors returned by earlier calls stay valid until their owners close them. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (Trace t : traces) {
                t.close();
            }
            traces.clear();
            last = null;
        }
    }

    /** One signature's trace: input buffers, output views, host work and the plan. */
    private static final class Trace {
        private final Backend backend;
        private final DType[] dtypes;
        private final Shape[] shapes;
        private final Tensor[] slots;
        private final Span[] slotSpans;
        private final Tensor[] outputs;
        private final Plan plan;
        private final Runnable[] everyCall;

        Trace(Tensor[] inputs, Tensor[] slots, Tensor[] outputs, Plan plan, Runnable[] everyCall) {
            this.backend = inputs.length == 0 ? null : inputs[0].backend();
            this.dtypes = new DType[inputs.length];
            this.shapes = new Shape[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                dtypes[i] = inputs[i].dtype();
                shapes[i] = inputs[i].shape();
            }
            this.slots = slots;
            this.slotSpans = new Span[slots.length];
            for (int i = 0; i < slots.length; i++) {
                slotSpans[i] = slots[i].span();
            }
            this.outputs = outputs;
            this.plan = plan;
            this.everyCall = everyCall;
        }

        boolean matches(Tensor[] inputs) {
            if (inputs.length != dtypes.length) {
                return false;
            }
            for (int i = 0; i < inputs.length; i++) {
                Tensor t = inputs[i];
                if (t.backend() != backend || t.dtype() != dtypes[i] || !t.shape().equals(shapes[i])) {
                    return false;
                }
            }
            return true;
        }

        Tensor[] replay(Tensor[] inputs, boolean wantOutputs) {
            for (int i = 0; i < inputs.length; i++) {
                if (!bound(inputs[i], slots[i])) {
                    inputs[i].copyTo(backend, slotSpans[i]);
                }
            }
            for (Runnable r : everyCall) {
                r.run();
            }
            plan.replay();
            if (outputs.length == 0 || !wantOutputs) {
                return NONE;
            }
            Tensor[] out = new Tensor[outputs.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = outputs[i].share();
            }
            return out;
        }

        /** Whether {@code input} is the slot itself (a view from {@link #boundInputs}), so nothing needs copying. */
        private static boolean bound(Tensor input, Tensor slot) {
            return input == slot || (input.sharesBuffer(slot) && input.isContiguous() && input.span().offset() == 0);
        }

        void close() {
            plan.close();
            for (Tensor t : slots) {
                t.close();
            }
            for (Tensor t : outputs) {
                t.close();
            }
        }
    }
}
