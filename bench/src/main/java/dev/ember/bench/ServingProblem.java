package dev.ember.bench;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Backend;
import dev.ember.nn.model.Sequential;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Inference of the 784→256→128→10 softmax MLP ({@link TrainNetwork#MLP}, untrained: the weights do
 * not change the work) on one fixed batch of host rows, through one of the two ways a caller gets
 * predictions ({@link Api}). Either way the softmax probabilities end up in the host array
 * {@link #out()}, so both do the same work as a python forward pass that returns an array.
 */
public final class ServingProblem implements AutoCloseable {
    /** How the predictions are asked for. */
    public enum Api {
        /** {@code model.predictInto(float[], float[])}: host rows in, host rows out, allocation-free in steady state. */
        PREDICT_INTO("predictInto"),
        /**
         * The Tensor API: {@code model.predict(x)} on an input tensor made once, the probabilities copied
         * into the host array and the result closed.
         */
        PREDICT("predict");

        private final String key;

        Api(String key) {
            this.key = key;
        }

        /** {@code predictInto} or {@code predict}. */
        public String key() {
            return key;
        }

        /** By key, case-insensitively. */
        public static Api parse(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (Api a : values()) {
                if (a.key.toLowerCase(Locale.ROOT).equals(t)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown api '" + text + "' (predictInto, predict)");
        }
    }

    private final int batch;
    private final Sequential model;
    private final float[] in;
    private final float[] out;
    private final Tensor x;

    /** The model built on {@code backend} and {@code batch} rows of N(0, 1) inputs (seed 42). */
    public ServingProblem(Backend backend, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("ServingProblem: batch must be >= 1, got " + batch);
        }
        int[] sizes = TrainNetwork.MLP.sizes();
        this.batch = batch;
        this.model = TrainNetwork.MLP.newModel(backend);
        model.build(Shape.of(sizes[0]));
        this.in = new float[Math.multiplyExact(batch, sizes[0])];
        SplittableRandom rng = new SplittableRandom(42);
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) rng.nextGaussian();
        }
        this.out = new float[batch * sizes[sizes.length - 1]];
        this.x = Tensor.of(backend, in, batch, sizes[0]);
        backend.synchronize();
    }

    /** One call of {@code api}; the probabilities are in {@link #out()} afterwards. */
    public void run(Api api) {
        switch (api) {
            case PREDICT_INTO -> predictInto();
            case PREDICT -> predict();
        }
    }

    /** {@code model.predictInto(in, out)}. */
    public void predictInto() {
        model.predictInto(in, out);
    }

    /** {@code model.predict(x)}, copied into {@link #out()} and closed. */
    public void predict() {
        try (Tensor p = model.predict(x)) {
            p.copyInto(out);
        }
    }

    public int batch() {
        return batch;
    }

    /** The last call's predictions: {@code batch x 10} probabilities, row-major (the array itself, reused). */
    public float[] out() {
        return out;
    }

    /** Multiply-adds of one forward pass, counted as two floating-point operations each. */
    public double flops() {
        int[] sizes = TrainNetwork.MLP.sizes();
        double f = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            f += 2.0 * batch * sizes[i] * sizes[i + 1];
        }
        return f;
    }

    @Override
    public void close() {
        x.close();
        model.close();
    }
}
