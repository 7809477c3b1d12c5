package dev.ember.nn.model;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.core.spi.Backend;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A model's serving buffers: idle {@link Session}s, each a traced forward pass for one batch size
 * with its input tensor (the trace's own input buffer, so a request is written there and never
 * copied again), its output view and a host row for class predictions. A caller takes a
 * session, runs it and gives it back, so any number of threads predict at once, each on a session
 * of its own, and a session once made is reused: in steady state a prediction allocates nothing.
 * There are as many sessions as calls ever ran at once (per batch size), up to {@link #CAPACITY}
 * kept idle; more are made and closed as needed. Nothing is held per thread, so a virtual thread per
 * request costs no buffers of its own.
 */
final class InferencePool implements AutoCloseable {
    /** Idle sessions kept; past this many, a returned session is closed. */
    static final int CAPACITY = 64;

    private final AtomicReferenceArray<Session> idle = new AtomicReferenceArray<>(CAPACITY);
    private final Backend backend;
    private final DType dtype;
    private final Shape example;
    private final Function<Tensor, Tensor> forward;
    private volatile boolean closed;

    /**
     * @param example the shape of one example
     * @param forward the inference-mode forward pass and output transform of a batch (traced once per session)
     */
    InferencePool(Backend backend, DType dtype, Shape example, Function<Tensor, Tensor> forward) {
        this.backend = backend;
        this.dtype = dtype;
        this.example = example;
        this.forward = forward;
    }

    /** An idle session for batches of {@code rows}, or a new one traced for them. */
    Session take(int rows) {
        for (int i = 0; i < CAPACITY; i++) {
            Session s = idle.get(i);
            if (s != null && s.rows == rows && idle.compareAndSet(i, s, null)) {
                return s;
            }
        }
        return Scope.unscoped(() -> new Session(rows));
    }

    /** Returns {@code s} for reuse, or closes it if the pool is full or closed. */
    void give(Session s) {
        if (!closed) {
            for (int i = 0; i < CAPACITY; i++) {
                if (idle.get(i) == null && idle.compareAndSet(i, null, s)) {
                    if (closed && idle.compareAndSet(i, s, null)) {   // closed meanwhile: close() may have missed it
                        s.close();
                    }
                    return;
                }
            }
        }
        s.close();
    }

    /** How many idle sessions are kept (for tests). */
    int idleSessions() {
        int n = 0;
        for (int i = 0; i < CAPACITY; i++) {
            n += idle.get(i) == null ? 0 : 1;
        }
        return n;
    }

    /** Closes the idle sessions; sessions in use are closed when given back. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < CAPACITY; i++) {
            Session s = idle.getAndSet(i, null);
            if (s != null) {
                s.close();
            }
        }
    }

    /** One batch size's traced forward pass, used by one thread at a time. */
    final class Session implements AutoCloseable {
        final int rows;
        private final Tensor input;
        private final Tensor[] inputs;
        private final TracedFunction traced;
        private final Tensor output;
        /** The output rows, on the host, for class predictions. */
        final float[] scores;

        private Session(int rows) {
            this.rows = rows;
            int[] dims = new int[example.rank() + 1];
            dims[0] = rows;
            System.arraycopy(example.dims(), 0, dims, 1, example.rank());
            traced = Tracing.function("predict", in -> new Tensor[] {forward.apply(in[0])});
            try (Tensor first = Tensor.zeros(backend, dtype, Shape.of(dims))) {
                output = traced.call(first)[0];
            }
            input = traced.boundInputs()[0];   // requests are written straight into the trace's input buffer
            inputs = new Tensor[] {input};
            scores = new float[output.size()];
        }

        /** Predictions for the rows in {@code in}, written to {@code out}. */
        void predict(float[] in, float[] out) {
            input.copyFrom(in);
            traced.run(inputs);
            output.copyInto(out);
        }

        /** Predictions for the rows in {@code in}, left in {@link #scores}. */
        float[] predict(float[] in) {
            predict(in, scores);
            return scores;
        }

        int outputs() {
            return output.size() / rows;
        }

        @Override
        public void close() {
            output.close();
            traced.close();
            input.close();
        }
    }
}
