package dev.ember.bench;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.Distribution;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.model.StepResult;

import java.util.SplittableRandom;

/**
 * One network, its optimiser and one fixed batch on one backend, trained the way a user would:
 * {@code Sequential} + {@code compile(Adam, loss)} + {@code trainStep(x, y)} in F32, eagerly or as a
 * traced function (as {@code fit} runs it: the batch is copied into the trace's input buffers at
 * every step). The loss stays on the device (as in {@code fit}); {@link #step()} waits for the
 * backend to finish.
 */
public final class TrainStepProblem implements AutoCloseable {
    private final Backend backend;
    private final TrainNetwork network;
    private final Sequential model;
    private final Tensor x;
    private final Tensor y;
    private final TracedFunction traced;

    public TrainStepProblem(Backend backend, TrainNetwork network) {
        this(backend, network, false);
    }

    /** @param traced whether {@link #step()} replays a trace of the step instead of running it eagerly */
    public TrainStepProblem(Backend backend, TrainNetwork network, boolean traced) {
        this.backend = backend;
        this.network = network;
        int[] sizes = network.sizes();
        int batch = network.batch();
        boolean softmax = network.softmax();
        this.model = network.newModel(backend);
        int classes = sizes[sizes.length - 1];
        this.x = Tensor.random(backend, DType.F32, Distribution.NORMAL, 0, 1, 42, 7, batch, sizes[0]);
        float[] labels = new float[batch * classes];
        SplittableRandom rng = new SplittableRandom(42);
        for (int r = 0; r < batch; r++) {
            if (softmax) {
                labels[r * classes + rng.nextInt(classes)] = 1;
            } else {
                labels[r] = rng.nextBoolean() ? 1 : 0;
            }
        }
        this.y = Tensor.of(backend, labels, batch, classes);
        this.traced = traced ? Tracing.function("trainStep", in -> {
            StepResult r = model.trainStep(in[0], in[1]);
            r.metricTotals().forEach(Tensor::close);
            return new Tensor[] {r.loss()};
        }) : null;
        backend.synchronize();
    }

    /** One training step (forward, backward, Adam update), finished on the device. */
    public void step() {
        if (traced != null) {
            traced.call(x, y)[0].close();
            backend.synchronize();
            return;
        }
        try (StepResult _ = model.trainStep(x, y)) {
            backend.synchronize();
        }
    }

    /** The traced step, or null when eager. */
    public TracedFunction traced() {
        return traced;
    }

    /** The loss of one more step, read back (for checks, not timed). */
    public double stepLoss() {
        if (traced != null) {
            try (Tensor loss = traced.call(x, y)[0]) {
                return loss.item();
            }
        }
        try (StepResult r = model.trainStep(x, y)) {
            return r.loss().item();
        }
    }

    public TrainNetwork network() {
        return network;
    }

    @Override
    public void close() {
        if (traced != null) {
            traced.close();
        }
        x.close();
        y.close();
        model.close();
    }
}
