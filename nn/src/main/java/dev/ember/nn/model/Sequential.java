package dev.ember.nn.model;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.Tracing;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BuildContext;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.losses.BinaryCrossEntropy;
import dev.ember.nn.losses.CategoricalCrossEntropy;
import dev.ember.nn.losses.Loss;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A stack of layers applied in order:
 * <pre>{@code
 * var model = new Sequential(new Dense(2, 10).kernelInitializer(Initializers.heNormal()), Activation.relu(),
 *                            new Dense(5), Activation.relu(), new Dense(1));   // logits: the loss applies the sigmoid
 * model.compile(new Adam(1e-3), Losses.binaryCrossEntropy(), Metrics.binaryAccuracy());
 * History h = model.fit(train, 100, 64, dev);
 * double[][] p = model.predict(rows);                                          // probabilities
 * }</pre>
 * The input shape comes from {@link #input}, from a first {@code Dense(inputs, units)}, or from the
 * first batch seen.
 */
public final class Sequential extends Model {
    private final List<Layer> layers;
    private Shape declaredInput;
    private Shape outputShape;
    private boolean built;

    public Sequential(Layer... layers) {
        this(List.of(layers));
    }

    public Sequential(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("sequential: needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        if (this.layers.get(0) instanceof dev.ember.nn.layers.Dense d && declaredInputOf(d) > 0) {
            declaredInput = Shape.of(declaredInputOf(d));
        }
    }

    private static int declaredInputOf(dev.ember.nn.layers.Dense d) {
        return d.declaredInputs();
    }

    /** Declares the per-example input shape, so {@code compile} can build and check every layer. */
    public Sequential input(int... dims) {
        requireUnbuilt("input shape");
        this.declaredInput = Shape.of(dims);
        return this;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Shape build(Shape inputShape) {
        if (built) {
            return outputShape;
        }
        Shape s = inputShape;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            try {
                s = layer.build(s, new BuildContext(backend(), dtype(), seed(), i, trainingClock()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model: layer " + i + " ('" + layer.name() + "') cannot take the"
                        + " output [batch, " + s.toString().replaceAll("[\\[\\]]", "") + "] of "
                        + (i == 0 ? "the input" : "layer '" + layers.get(i - 1).name() + "'") + ": " + e.getMessage(), e);
            }
            if (!names.add(layer.name())) {
                throw new IllegalArgumentException("model: two layers are named '" + layer.name() + "'");
            }
        }
        declaredInput = inputShape;
        outputShape = s;
        built = true;
        return s;
    }

    @Override
    public boolean isBuilt() {
        return built;
    }

    @Override
    public Shape inputShape() {
        return declaredInput;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    /** Every layer in turn; the output is what the last layer computes. */
    @Override
    public Tensor call(Tensor x, boolean training) {
        if (!built) {
            throw new IllegalStateException("model: not built; compile with a declared input shape or call fit first");
        }
        // Under a tape the tape owns (and needs) every intermediate; without one they are freed as we go.
        boolean taping = GradientTape.isActive();
        if (training) {
            Tracing.everyCall(trainingClock()::tick);   // dropout masks follow the pass number
        }
        Tensor h = x;
        for (int i = 0, count = layers.size(); i < count; i++) {
            Tensor next = layers.get(i).forward(h, training);
            if (!taping && h != x && next != h) {
                h.close();
            }
            h = next;
        }
        return h;
    }

    /**
     * A loss that applies the sigmoid or softmax itself would apply it twice after a last layer that
     * already does: that mistake fails here, with the fix.
     */
    @Override
    protected void checkLoss(Loss loss) {
        Activation.Kind last = switch (layers.get(layers.size() - 1)) {
            case Activation a -> a.function();
            case dev.ember.nn.layers.Dense d -> d.activation().function();
            default -> null;
        };
        boolean doubled = loss instanceof BinaryCrossEntropy && last == Activation.Kind.SIGMOID
                || loss instanceof CategoricalCrossEntropy && last == Activation.Kind.SOFTMAX;
        if (doubled) {
            String f = last.name().toLowerCase(java.util.Locale.ROOT);
            throw new IllegalArgumentException("compile: " + loss.name() + " takes logits and applies the " + f
                    + " itself, but the model already ends in a " + f + ": remove it (predict() returns the"
                    + " probabilities)");
        }
    }

    @Override
    public List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        layers.forEach(l -> out.addAll(l.variables()));
        return out;
    }

    @Override
    public List<Variable> trainableVariables() {
        List<Variable> out = new ArrayList<>();
        for (Layer l : layers) {
            out.addAll(l.trainableVariables());
        }
        return out;
    }

    @Override
    public List<Variable> regularizedVariables() {
        List<Variable> out = new ArrayList<>();
        layers.forEach(l -> out.addAll(l.regularizedVariables()));
        return out;
    }

    /** Total number of parameters (trainable and not). */
    public long parameterCount() {
        return layers.stream().mapToLong(Layer::parameterCount).sum();
    }

    /** One line per layer: name, kind, shapes and parameter count. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        for (Layer l : layers) {
            sb.append(String.format("%-16s %-14s %-10s -> %-10s %8d%n", l.name(), l.getClass().getSimpleName(),
                    l.inputShape(), l.outputShape(), l.parameterCount()));
        }
        return sb.append("parameters: ").append(parameterCount()).toString();
    }

    @Override
    protected void closeLayers() {
        layers.forEach(Layer::close);
    }
}
