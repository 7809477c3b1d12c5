package dev.ember.nn.autodiff;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.Updates;
import dev.ember.core.spi.Backend;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * A named, mutable tensor that persists across training steps: the parameters of a model.
 *
 * <p><b>Variable versus constant.</b> A variable owns one tensor for its whole life and changes it
 * in place ({@link #assign}, {@link #assignSub}, the optimisers), so the tensor identity seen by the
 * tape never changes. A <em>trainable</em> variable is watched automatically by every
 * {@link GradientTape}: operations that read {@link #value()} are recorded. Any other tensor is a
 * <em>constant</em> to the tape: no gradient flows to it unless it is {@linkplain GradientTape#watch
 * watched} explicitly. Non-trainable variables (batch-norm running averages) behave like constants.
 *
 * <p>Close a variable (or the model owning it) to free its tensor.
 *
 * <p><b>Threads.</b> Its value is shared for reading, like a {@code Tensor}'s; assigning it (an
 * optimiser step) is confined to the training thread and must not overlap with readers.
 */
public final class Variable implements AutoCloseable {
    /** Maps a variable's tensor back to the variable, so the tape can recognise trainable reads. */
    private static final Map<Tensor, Variable> BY_TENSOR = Collections.synchronizedMap(new WeakHashMap<>());

    private final String name;
    private final Tensor value;
    private final boolean trainable;

    /** Wraps {@code initial}, taking ownership of it (it must be contiguous). */
    public Variable(String name, Tensor initial, boolean trainable) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("variable: name must not be empty");
        }
        if (initial == null || initial.isClosed()) {
            throw new IllegalArgumentException("variable '" + name + "': initial value must be an open tensor");
        }
        this.name = name;
        this.value = initial.isContiguous() ? initial : copyAndClose(initial);
        this.trainable = trainable;
        BY_TENSOR.put(value, this);
    }

    /** A trainable variable owning {@code initial}. */
    public Variable(String name, Tensor initial) {
        this(name, initial, true);
    }

    private static Tensor copyAndClose(Tensor t) {
        Tensor c = t.copy();
        t.close();
        return c;
    }

    /** A trainable variable holding {@code data} (row-major) in {@code dtype}. */
    public static Variable of(String name, Backend backend, DType dtype, double[] data, int... dims) {
        Shape shape = Shape.of(dims);
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("variable '" + name + "': " + data.length
                    + " values do not fill shape " + shape);
        }
        Tensor t = Tensor.of(backend, dtype, data, dims);
        return new Variable(name, t, true);
    }

    /** The variable that owns {@code tensor}, or {@code null}. */
    static Variable owning(Tensor tensor) {
        return BY_TENSOR.get(tensor);
    }

    public String name() {
        return name;
    }

    /** The current value; the same tensor for the variable's whole life. Do not close it. */
    public Tensor value() {
        return value;
    }

    public boolean trainable() {
        return trainable;
    }

    public Shape shape() {
        return value.shape();
    }

    public DType dtype() {
        return value.dtype();
    }

    public Backend backend() {
        return value.backend();
    }

    public int size() {
        return value.size();
    }

    /** Overwrites the value with {@code source} (same shape). */
    public Variable assign(Tensor source) {
        value.assign(source);
        return this;
    }

    /** Overwrites the value with host data in row-major order (converted to the variable's dtype). */
    public Variable assign(double[] data) {
        if (data.length != value.size()) {
            throw new IllegalArgumentException("variable '" + name + "'.assign: " + data.length
                    + " values for shape " + value.shape());
        }
        value.copyFrom(data);
        return this;
    }

    /** {@code value -= delta} in place (one fused kernel). */
    public Variable assignSub(Tensor delta) {
        if (!delta.shape().equals(value.shape())) {
            throw new IllegalArgumentException("variable '" + name + "'.assignSub: delta has shape " + delta.shape()
                    + " but the variable has " + value.shape());
        }
        if (delta.isContiguous()) {
            Updates.sgd(value, delta, 1.0);
        } else {
            try (Tensor c = delta.copy()) {
                Updates.sgd(value, c, 1.0);
            }
        }
        return this;
    }

    /** The value copied to the host. */
    public double[] toDoubleArray() {
        return value.toDoubleArray();
    }

    @Override
    public void close() {
        BY_TENSOR.remove(value);
        value.close();
    }

    @Override
    public String toString() {
        return "Variable(" + name + ", " + value.shape() + " " + value.dtype() + (trainable ? "" : ", frozen") + ")";
    }
}
