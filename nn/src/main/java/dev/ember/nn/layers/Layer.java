package dev.ember.nn.layers;

import dev.ember.core.Scope;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A building block of a {@link dev.ember.nn.model.Sequential} model. Inputs are {@code [batch, ...]};
 * shapes passed to {@link #build} exclude the batch axis. Forward passes use the recording ops of
 * {@link dev.ember.nn.ops.F}, so a layer is differentiated by the tape without extra code.
 *
 * <p><b>Threads.</b> As its model's: {@code forward(x, false)} may run on many threads at once;
 * building, training and closing are confined to one thread.
 */
public abstract class Layer implements AutoCloseable {
    private String name;
    private Shape inputShape;
    private Shape outputShape;
    private final List<Variable> variables = new ArrayList<>();

    /** The kind used for default names ({@code dense}, {@code dropout}, ...). */
    protected abstract String kind();

    /** Creates parameters for inputs of shape {@code input} (without batch axis) and returns the output shape. */
    protected abstract Shape doBuild(Shape input, BuildContext context);

    /** The forward pass on a built layer. */
    public abstract Tensor forward(Tensor x, boolean training);

    /** Builds the layer once; a second call with another input shape is an error naming the layer. */
    public final Shape build(Shape input, BuildContext context) {
        if (outputShape != null) {
            if (!input.equals(inputShape)) {
                throw new IllegalArgumentException("layer '" + name() + "': built for inputs " + inputShape
                        + " but now receives " + input);
            }
            return outputShape;
        }
        if (name == null) {
            name = kind() + "_" + context.index();
        }
        outputShape = Scope.unscoped(() -> doBuild(input, context));   // weights outlive a scope around the first step
        inputShape = input;
        return outputShape;
    }

    /**
     * Whether a training step through this layer can be traced ({@link dev.ember.core.Tracing}): true
     * unless its forward pass depends on Java work that must run at every step and is not in a
     * {@link dev.ember.core.Tracing#everyCall} block (a custom dropout mask source, for instance).
     */
    public boolean isTraceable() {
        return true;
    }

    public boolean isBuilt() {
        return outputShape != null;
    }

    /** Sets the layer's name (before building); returns this. */
    public Layer named(String newName) {
        if (newName == null || newName.isBlank()) {
            throw new IllegalArgumentException("layer: name must not be empty");
        }
        this.name = newName;
        return this;
    }

    public String name() {
        return name == null ? kind() : name;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return outputShape;
    }

    protected Variable addVariable(String suffix, Tensor initial, boolean trainable) {
        Variable v = new Variable(name() + "/" + suffix, initial, trainable);
        variables.add(v);
        return v;
    }

    /** Every variable of this layer, trainable or not. */
    public List<Variable> variables() {
        return List.copyOf(variables);
    }

    public List<Variable> trainableVariables() {
        List<Variable> trainable = new ArrayList<>(variables.size());
        for (Variable v : variables) {   // a loop, not a stream: a training step asks every time
            if (v.trainable()) {
                trainable.add(v);
            }
        }
        return Collections.unmodifiableList(trainable);
    }

    /** The weights L2 regularisation applies to (Dense kernels; not biases or batch-norm parameters). */
    public List<Variable> regularizedVariables() {
        return List.of();
    }

    /** Parameter count (all variables). */
    public long parameterCount() {
        return variables.stream().mapToLong(Variable::size).sum();
    }

    protected static void requireBuilt(Layer layer) {
        if (!layer.isBuilt()) {
            throw new IllegalStateException("layer '" + layer.name() + "' is not built: add it to a model and compile,"
                    + " or call build(inputShape, context)");
        }
    }

    @Override
    public void close() {
        for (Variable v : variables) {
            v.close();
        }
        variables.clear();
    }

    @Override
    public String toString() {
        return name() + " (" + getClass().getSimpleName() + ", " + inputShape + " -> " + outputShape + ")";
    }
}
