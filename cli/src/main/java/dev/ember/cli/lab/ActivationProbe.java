package dev.ember.cli.lab;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BuildContext;
import dev.ember.nn.layers.Layer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An identity layer placed after an activation that, when armed for a step, reads the batch's
 * activations to the host and keeps their {@link ActivationStats}. It sits inside the model so it sees
 * exactly what the training step computes (batch norm with batch statistics included), which a
 * separate inference pass would not. Reading to the host at every step would stop tracing, so the
 * run arms it only on the steps it samples.
 */
final class ActivationProbe extends Layer {
    private final Activation.Kind function;
    private final Map<Integer, ActivationStats> samples = new LinkedHashMap<>();
    private int armedFor;

    ActivationProbe(Activation.Kind function) {
        this.function = function;
    }

    /** Records the next training forward pass as step {@code step}. */
    void arm(int step) {
        armedFor = step;
    }

    /** Statistics by sampled step. */
    Map<Integer, ActivationStats> samples() {
        return samples;
    }

    @Override
    protected String kind() {
        return "probe";
    }

    @Override
    protected Shape doBuild(Shape input, BuildContext context) {
        return input;
    }

    @Override
    public boolean isTraceable() {
        return false;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (training && armedFor > 0) {
            samples.put(armedFor, ActivationStats.of(x.toDoubleArray(), function));
            armedFor = 0;
        }
        return x;
    }
}
