package dev.ember.nn.train;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.core.spi.Distribution;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.model.StepResult;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.testing.TestBackends;
import dev.ember.opencl.CommandCounts;
import dev.ember.opencl.OpenClBackend;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What tracing saves on a GPU-style backend, counted rather than timed: an eager training step
 * enqueues a zero-fill for every new buffer and a kernel per operation; a replayed one enqueues no
 * fills (its buffers exist, constants are filled once), fewer kernels (element-wise runs are fused,
 * the optimiser's updates grouped) and two copies of its inputs into the trace's buffers: at most
 * half of the eager step's commands.
 */
class OpenClTracedLaunchesTest {

    @Test
    void aTracedStepEnqueuesNoBufferFillsAndFewerKernels() {
        OpenClBackend cl = (OpenClBackend) TestBackends.byName("opencl");
        try (Sequential model = new Sequential(new Dense(32, 24).activation(Activation.relu()),
                new Dense(16).activation(Activation.relu()), new Dense(10));
             Tensor x = Tensor.random(cl, DType.F32, Distribution.NORMAL, 0, 1, 1, 2, 64, 32);
             Tensor y = Tensor.random(cl, DType.F32, Distribution.BERNOULLI, 0.1, 1, 1, 3, 64, 10)) {
            model.backend(cl).seed(4);
            model.compile(new Adam(1e-3), Losses.categoricalCrossEntropy());
            model.trainStep(x, y).close();   // builds the model and the optimiser state

            CommandCounts before = cl.commandCounts();
            model.trainStep(x, y).close();
            CommandCounts eager = cl.commandCounts().since(before);

            try (TracedFunction step = Tracing.function("step", in -> {
                StepResult r = model.trainStep(in[0], in[1]);
                r.metricTotals().forEach(Tensor::close);
                return new Tensor[] {r.loss()};
            })) {
                step.call(x, y)[0].close();   // the trace
                before = cl.commandCounts();
                step.call(x, y)[0].close();
                CommandCounts traced = cl.commandCounts().since(before);

                assertThat(eager.bufferFills()).as("eager %s", eager).isPositive();
                assertThat(traced.bufferFills()).as("traced %s", traced).isZero();
                assertThat(traced.kernelLaunches()).as("eager %s, traced %s", eager, traced)
                        .isLessThan(eager.kernelLaunches());
                assertThat(2 * (traced.kernelLaunches() + traced.bufferFills()))
                        .as("commands enqueued: at most half of eager's (eager %s, traced %s)", eager, traced)
                        .isLessThanOrEqualTo(eager.kernelLaunches() + eager.bufferFills());

                Tensor[] bound = step.boundInputs();   // the batch written straight into the trace's buffers
                bound[0].assign(x);
                bound[1].assign(y);
                before = cl.commandCounts();
                step.run(bound);
                CommandCounts boundStep = cl.commandCounts().since(before);
                assertThat(boundStep.kernelLaunches()).as("no input copies: traced %s, bound %s", traced, boundStep)
                        .isEqualTo(traced.kernelLaunches() - 2);
                for (Tensor t : bound) {
                    t.close();
                }
            }
        }
    }
}
