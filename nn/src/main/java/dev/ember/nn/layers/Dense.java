package dev.ember.nn.layers;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.ops.F;

import java.util.List;

/**
 * A fully connected layer {@code y = x @ W + b} with kernel {@code W [in, units]} and bias {@code b [units]},
 * optionally followed by a point-wise activation ({@link #activation}) fused with the bias into one
 * pass over the GEMM's output.
 */
public final class Dense extends Layer {
    private final int units;
    private Integer expectedInput;
    private Initializer kernelInit = Initializers.glorotUniform();
    private Initializer biasInit = Initializers.zeros();
    private boolean useBias = true;
    private Activation activation = Activation.linear();
    private Variable kernel;
    private Variable bias;

    public Dense(int units) {
        if (units <= 0) {
            throw new IllegalArgumentException("dense: units must be > 0, got " + units);
        }
        this.units = units;
    }

    /** A dense layer that declares its input width: a mismatch with the previous layer fails at build. */
    public Dense(int inputs, int units) {
        this(units);
        if (inputs <= 0) {
            throw new IllegalArgumentException("dense: inputs must be > 0, got " + inputs);
        }
        this.expectedInput = inputs;
    }

    public Dense kernelInitializer(Initializer init) {
        this.kernelInit = init;
        return this;
    }

    public Dense biasInitializer(Initializer init) {
        this.biasInit = init;
        return this;
    }

    /**
     * Applies a point-wise activation to the output, fused with the bias: {@code new Dense(128)
     * .activation(Activation.relu())} computes what {@code Dense(128)} followed by
     * {@code Activation.relu()} does, with one pass over the output fewer. Softmax is not point-wise
     * (add it as its own layer); {@code linear} means none.
     */
    public Dense activation(Activation function) {
        if (function.function() == Activation.Kind.SOFTMAX) {
            throw new IllegalArgumentException("dense: softmax is not a point-wise activation; add Activation.softmax()"
                    + " as the next layer");
        }
        this.activation = function;
        return this;
    }

    /** The fused activation ({@code linear} when none). */
    public Activation activation() {
        return activation;
    }

    /** Whether the layer has a bias. */
    public boolean useBias() {
        return useBias;
    }

    public Dense useBias(boolean use) {
        this.useBias = use;
        return this;
    }

    @Override
    public Dense named(String name) {
        super.named(name);
        return this;
    }

    @Override
    protected String kind() {
        return "dense";
    }

    /** The input width declared at construction, or 0. */
    public int declaredInputs() {
        return expectedInput == null ? 0 : expectedInput;
    }

    public int units() {
        return units;
    }

    @Override
    protected Shape doBuild(Shape input, BuildContext c) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException("layer '" + name() + "' (dense): expects inputs [batch, features], got"
                    + " per-example shape " + input + " (flatten first)");
        }
        int in = input.dim(0);
        if (expectedInput != null && expectedInput != in) {
            throw new IllegalArgumentException("layer '" + name() + "' (dense): declared " + expectedInput
                    + " inputs but the previous layer produces " + in + " (shape [batch, " + in + "])");
        }
        kernel = addVariable("kernel", kernelInit.create(c.backend(), c.dtype(), Shape.of(in, units), in, units,
                c.seed(), c.stream(0)), true);
        if (useBias) {
            bias = addVariable("bias", biasInit.create(c.backend(), c.dtype(), Shape.of(units), in, units,
                    c.seed(), c.stream(1)), true);
        }
        return Shape.of(units);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        checkInput(x);
        dev.ember.core.spi.Activation act = activation.pointwise();
        if (act != null && bias != null) {
            return F.dense(x, kernel.value(), bias.value(), act, activation.slope());   // bias + activation fused
        }
        Tensor z = F.dense(x, kernel.value(), bias == null ? null : bias.value());
        if (act == null) {
            return z;
        }
        Tensor y = F.activation(act, activation.slope(), z);   // no bias to fuse the activation with
        if (!GradientTape.isActive()) {
            z.close();   // no tape owns it
        }
        return y;
    }

    private void checkInput(Tensor x) {
        requireBuilt(this);
        if (x.rank() != 2 || x.dim(1) != kernel.shape().dim(0)) {
            throw new IllegalArgumentException("layer '" + name() + "' (dense): expects [batch, "
                    + kernel.shape().dim(0) + "], got " + x.shape());
        }
    }

    public Variable kernel() {
        requireBuilt(this);
        return kernel;
    }

    /** The bias, or null without one. */
    public Variable bias() {
        requireBuilt(this);
        return bias;
    }

    @Override
    public List<Variable> regularizedVariables() {
        return kernel == null ? List.of() : List.of(kernel);
    }
}
