package dev.ember.core;

import dev.ember.core.spi.Activation;
import dev.ember.core.spi.Backend;
import dev.ember.core.spi.BinaryOp;
import dev.ember.core.spi.Distribution;
import dev.ember.core.spi.ReduceOp;
import dev.ember.core.spi.Span;
import dev.ember.core.spi.UnaryOp;
import dev.ember.core.trace.Calls;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * An n-dimensional array on one backend: a dtype, a shape, row-major strides and an offset into a
 * device buffer it may share with other views.
 *
 * <p>A tensor holds device memory: close it (or create it inside a {@link Scope}) when done. Using
 * a closed tensor throws {@link IllegalStateException}. Operations never modify their inputs
 * except the explicitly in-place ones ({@code assign}, {@code copyFrom}, {@code fill}, the {@code ...Into}
 * methods writing to their output, the optimiser updates in {@link Updates}).
 *
 * <p><b>Threads.</b> Shared for reading: any number of threads may use one tensor as an input, read
 * it to the host or make views of it at once. Writing it in place ({@code assign}, {@code
 * copyFrom}, {@code fill}, the {@code ...Into} forms, optimiser updates) and closing it need the
 * caller's own exclusion against every other use; closing is atomic and idempotent.
 */
public final class Tensor implements AutoCloseable {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(Tensor.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Storage storage;
    private final DType dtype;
    private final Shape shape;
    private final int[] strides;
    private final int offset;
    private final boolean contiguous;
    /** Set once, by the close that wins the compare-and-set: only that close releases the storage. */
    private volatile boolean closed;
    /** Where the elements start, made on first use. */
    private Span span;
    /** The scope that will close this tensor, and where it sits there; touched only on that scope's thread. */
    Scope scope;
    int scopeSlot;

    private Tensor(Storage storage, DType dtype, Shape shape, int[] strides, int offset) {
        this.storage = storage;
        this.dtype = dtype;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.contiguous = shape.isContiguous(strides);
        Scope.register(this);
    }

    // ------------------------------------------------------------------ creation

    /** A zero-filled tensor. */
    public static Tensor zeros(Backend backend, DType dtype, Shape shape) {
        if (backend == null || dtype == null || shape == null) {
            throw new IllegalArgumentException("zeros: backend, dtype and shape must not be null");
        }
        Backend owner = Tracing.dispatch(backend);   // while tracing on it: the recording
        return new Tensor(new Storage(Storage.allocate(owner, dtype, shape.size()), owner), dtype, shape,
                shape.sharedContiguousStrides(), 0);
    }

    public static Tensor zeros(Backend backend, DType dtype, int... dims) {
        return zeros(backend, dtype, Shape.of(dims));
    }

    /** A zero-filled tensor on the default backend ({@link Backends#get()}). */
    public static Tensor zeros(DType dtype, int... dims) {
        return zeros(Backends.get(), dtype, Shape.of(dims));
    }

    /** A tensor with every element equal to {@code value}. */
    public static Tensor full(Backend backend, DType dtype, double value, int... dims) {
        return zeros(backend, dtype, Shape.of(dims)).fill(value);
    }

    /** An F32 tensor holding {@code data} in row-major order. */
    public static Tensor of(Backend backend, float[] data, int... dims) {
        Shape shape = Shape.of(dims);
        checkLength("of", data.length, shape);
        Tensor t = zeros(backend, DType.F32, shape);
        backend.write(t.span(), data, 0, data.length);
        return t;
    }

    /** An F64 tensor holding {@code data} in row-major order. */
    public static Tensor of(Backend backend, double[] data, int... dims) {
        Shape shape = Shape.of(dims);
        checkLength("of", data.length, shape);
        Tensor t = zeros(backend, DType.F64, shape);
        backend.write(t.span(), data, 0, data.length);
        return t;
    }

    /** A tensor of {@code dtype} holding {@code data} in row-major order (rounded to nearest for F32). */
    public static Tensor of(Backend backend, DType dtype, double[] data, int... dims) {
        if (backend == null || dtype == null || data == null) {
            throw new IllegalArgumentException("of: backend, dtype and data must not be null");
        }
        Shape shape = Shape.of(dims);
        checkLength("of", data.length, shape);
        return zeros(backend, dtype, shape).copyFrom(data);
    }

    public static Tensor of(float[] data, int... dims) {
        return of(Backends.get(), data, dims);
    }

    public static Tensor of(double[] data, int... dims) {
        return of(Backends.get(), data, dims);
    }

    /**
     * A tensor of counter-based random numbers (see {@link Distribution} for {@code a} and {@code b}):
     * the same {@code (seed, stream)} gives the same values on every backend.
     */
    public static Tensor random(Backend backend, DType dtype, Distribution distribution, double a, double b,
                                long seed, long stream, int... dims) {
        return random(backend, dtype, distribution, a, b, seed, LiveScalar.of(stream), dims);
    }

    /**
     * {@link #random(Backend, DType, Distribution, double, double, long, long, int...) random} with a
     * stream read when the kernel is issued: in a traced function, every replay draws from the
     * stream's value at that time (a dropout layer's new mask per step).
     */
    public static Tensor random(Backend backend, DType dtype, Distribution distribution, double a, double b,
                                long seed, LiveScalar stream, int... dims) {
        if (stream == null) {
            throw new IllegalArgumentException("random: stream must not be null");
        }
        Checks.finite("random", "a", a);
        Checks.finite("random", "b", b);
        switch (distribution) {
            case UNIFORM -> {
                if (!(a < b)) {
                    throw new IllegalArgumentException("random: uniform bounds need a < b, got [" + a + ", " + b + ")");
                }
            }
            case NORMAL -> {
                if (b < 0) {
                    throw new IllegalArgumentException("random: standard deviation must be >= 0, got " + b);
                }
            }
            case BERNOULLI -> {
                if (!(a > 0 && a <= 1)) {
                    throw new IllegalArgumentException("random: keep-probability must be in (0, 1], got " + a);
                }
            }
        }
        Tensor t = zeros(backend, dtype, Shape.of(dims));
        Tracing.issue(backend, new Calls.Random(distribution, a, b, seed, stream, t.span(), t.size()));
        return t;
    }

    private static void checkLength(String operation, int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException(operation + ": " + length + " values do not fill shape " + shape
                    + " (" + shape.size() + " elements)");
        }
    }

    // ------------------------------------------------------------------ properties

    public Backend backend() {
        return storage.backend();
    }

    /** The backend operations on this tensor call: {@link #backend()}, or the recording while it is traced. */
    Backend ops() {
        return Tracing.dispatch(storage.backend());
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public int rank() {
        return shape.rank();
    }

    public int dim(int axis) {
        return shape.dim(axis);
    }

    public int size() {
        return shape.size();
    }

    public int[] strides() {
        return strides.clone();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Whether the elements are laid out densely in row-major order (so {@link #span()} addresses them all). */
    public boolean isContiguous() {
        return contiguous;
    }

    /** Whether both tensors are views of the same device buffer. */
    boolean sharesBuffer(Tensor other) {
        return storage == other.storage;
    }

    /** Whether {@code other} addresses exactly this tensor's elements in the same order (an allowed alias). */
    boolean sameElements(Tensor other) {
        return storage == other.storage && offset == other.offset && shape.equals(other.shape)
                && Arrays.equals(strides, other.strides);
    }

    /** The stride of {@code axis} (0-based, non-negative) without copying the strides. */
    int stride(int axis) {
        return strides[axis];
    }

    /** Where this tensor's first element lives, for direct SPI calls. */
    public Span span() {
        checkOpen("span");
        Span s = span;
        if (s == null) {   // made once and kept: a serving call asks for it on every request (a benign race: Span is immutable)
            span = s = new Span(storage.buffer(), offset);
        }
        return s;
    }

    void checkOpen(String operation) {
        if (closed) {
            throw new IllegalStateException(operation + ": tensor " + shape + " " + dtype + " was closed");
        }
    }

    // ------------------------------------------------------------------ host access

    /** Copies the elements to a new float array in row-major order (converting from F64 if needed). */
    public float[] toFloatArray() {
        checkOpen("toFloatArray");
        try (Tensor c = contiguousF(DType.F32)) {
            float[] out = new float[size()];
            ops().read(c.span(), out, 0, out.length);
            return out;
        }
    }

    /** Copies the elements to a new double array in row-major order (converting from F32 if needed). */
    public double[] toDoubleArray() {
        checkOpen("toDoubleArray");
        try (Tensor c = contiguousF(DType.F64)) {
            double[] out = new double[size()];
            ops().read(c.span(), out, 0, out.length);
            return out;
        }
    }

    /**
     * Copies the elements, in row-major order, into {@code target} (whose length must be
     * {@link #size()}), converting from F64 if needed; returns {@code target}. A contiguous F32
     * tensor is read straight into it, allocating nothing: the serving path's way out.
     */
    public float[] copyInto(float[] target) {
        checkOpen("copyInto");
        if (target == null) {
            throw new IllegalArgumentException("copyInto: target must not be null");
        }
        checkLength("copyInto", target.length, shape);
        if (contiguous && dtype == DType.F32) {
            ops().read(span(), target, 0, target.length);
            return target;
        }
        try (Tensor c = contiguousF(DType.F32)) {
            ops().read(c.span(), target, 0, target.length);
            return target;
        }
    }

    /**
     * Overwrites this contiguous tensor's elements, in place, with {@code data} in row-major order
     * (rounded to nearest when this tensor is F32); returns this.
     */
    public Tensor copyFrom(double[] data) {
        checkWritable("copyFrom", data == null ? -1 : data.length);
        if (dtype == DType.F64) {
            ops().write(span(), data, 0, data.length);
        } else {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            ops().write(span(), f, 0, f.length);
        }
        return this;
    }

    /** Overwrites this contiguous tensor's elements, in place, with {@code data} in row-major order; returns this. */
    public Tensor copyFrom(float[] data) {
        checkWritable("copyFrom", data == null ? -1 : data.length);
        if (dtype == DType.F32) {
            ops().write(span(), data, 0, data.length);
        } else {
            double[] d = new double[data.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = data[i];
            }
            ops().write(span(), d, 0, d.length);
        }
        return this;
    }

    /** Sets every element of this contiguous tensor to {@code value}, in place; returns this. */
    public Tensor fill(double value) {
        checkWritable("fill", size());
        ops().fill(span(), size(), value);
        return this;
    }

    private void checkWritable(String operation, int length) {
        checkOpen(operation);
        if (length < 0) {
            throw new IllegalArgumentException(operation + ": data must not be null");
        }
        if (!contiguous) {
            throw new IllegalStateException(operation + ": target view " + shape + " is not contiguous");
        }
        checkLength(operation, length, shape);
    }

    /** The single element of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalArgumentException("item: tensor has shape " + shape + ", not one element");
        }
        return toDoubleArray()[0];
    }

    private Tensor contiguousF(DType target) {
        return dtype == target && isContiguous() ? view(shape, strides, offset) : to(target);
    }

    // ------------------------------------------------------------------ views and copies

    private Tensor view(Shape newShape, int[] newStrides, int newOffset) {
        if (!storage.tryRetain()) {   // closed by another thread since this thread's checkOpen
            throw new IllegalStateException("view: tensor " + shape + " " + dtype + " was closed");
        }
        return new Tensor(storage, dtype, newShape, newStrides, newOffset);
    }

    /** Another handle on the same elements (closing it leaves this one open). */
    Tensor share() {
        checkOpen("share");
        return view(shape, strides, offset);
    }

    /** Copies the elements, in row-major order, to the dense span {@code dst} of backend {@code b}. */
    void copyTo(Backend b, Span dst) {
        if (contiguous) {
            b.cast(span(), dst, size());   // same dtype: a plain copy
        } else {
            b.copyStrided(span(), shape.dims(), strides, dst);
        }
    }

    /** A view with another shape of the same size; copies first if this view is not contiguous. */
    public Tensor reshape(int... dims) {
        checkOpen("reshape");
        Shape target = Shape.of(dims);
        if (target.size() != size()) {
            throw new IllegalArgumentException("reshape: cannot reshape " + shape + " (" + size() + " elements) to "
                    + target + " (" + target.size() + " elements)");
        }
        if (isContiguous()) {
            return view(target, target.sharedContiguousStrides(), offset);
        }
        try (Tensor c = copy()) {
            return c.reshape(dims);
        }
    }

    /** Swaps the last two axes (a view, no copy). */
    public Tensor transpose() {
        checkOpen("transpose");
        if (rank() < 2) {
            throw new IllegalArgumentException("transpose: needs rank >= 2, got shape " + shape);
        }
        int r = rank();
        int[] d = shape.dims();
        int[] s = strides.clone();
        swap(d, r - 2, r - 1);
        swap(s, r - 2, r - 1);
        return view(Shape.of(d), s, offset);
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Rows {@code [start, end)} of the first axis (a view, no copy). */
    public Tensor slice(int start, int end) {
        checkOpen("slice");
        if (rank() == 0 || start < 0 || end > dim(0) || start >= end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is invalid for shape " + shape);
        }
        int[] d = shape.dims();
        d[0] = end - start;
        return view(Shape.of(d), strides.clone(), offset + start * strides[0]);
    }

    /**
     * A view of this tensor broadcast numpy-style to {@code dims} (no copy): axes are aligned from the
     * right, and an axis of size 1 (or a missing leading one) repeats through a zero stride. The view
     * is read-only in effect: {@link #copy()} makes it dense.
     */
    public Tensor broadcastTo(int... dims) {
        checkOpen("broadcastTo");
        Shape target = Shape.of(dims);
        int r = target.rank();
        int q = rank();
        if (q > r) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast " + shape + " to the lower rank " + target);
        }
        int[] s = new int[r];
        for (int i = 0; i < r; i++) {
            int j = i - (r - q);
            if (j < 0 || (shape.dim(j) == 1 && target.dim(i) != 1)) {
                s[i] = 0;
            } else if (shape.dim(j) == target.dim(i)) {
                s[i] = strides[j];
            } else {
                throw new IllegalArgumentException("broadcastTo: cannot broadcast " + shape + " to " + target
                        + " (axis " + j + " has size " + shape.dim(j) + ")");
            }
        }
        return view(target, s, offset);
    }

    /** A dense copy on the same backend and dtype. */
    public Tensor copy() {
        checkOpen("copy");
        Tensor out = zeros(backend(), dtype, shape);
        copyTo(ops(), out.span());
        return out;
    }

    /** This tensor converted to {@code target} (always a new dense tensor). */
    public Tensor to(DType target) {
        checkOpen("to");
        if (target == dtype) {
            return copy();
        }
        Tensor out = zeros(backend(), target, shape);
        if (isContiguous()) {
            ops().cast(span(), out.span(), size());
        } else {
            try (Tensor c = copy()) {
                ops().cast(c.span(), out.span(), size());
            }
        }
        return out;
    }

    /** This tensor copied to another backend (through the host). */
    public Tensor to(Backend target) {
        checkOpen("to");
        return dtype == DType.F32 ? of(target, toFloatArray(), shape.dims()) : of(target, toDoubleArray(), shape.dims());
    }

    /** Overwrites this (contiguous) tensor's elements with those of {@code source}, which must have the same shape. */
    public Tensor assign(Tensor source) {
        Checks.sameBackendAndDtype("assign", this, source);
        Checks.sameShape("assign", "source", this, source);
        if (!isContiguous()) {
            throw new IllegalStateException("assign: target view " + shape + " is not contiguous");
        }
        Checks.writableOutput("assign", this, source);   // m.assign(m.transpose()) would read what it wrote
        ops().copyStrided(source.span(), source.shape.dims(), source.strides, span());
        return this;
    }

    // ------------------------------------------------------------------ operations

    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    public Tensor add(Tensor other) {
        return Elementwise.binary("add", BinaryOp.ADD, this, other);
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary("sub", BinaryOp.SUB, this, other);
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary("mul", BinaryOp.MUL, this, other);
    }

    public Tensor div(Tensor other) {
        return Elementwise.binary("div", BinaryOp.DIV, this, other);
    }

    public Tensor maximum(Tensor other) {
        return Elementwise.binary("maximum", BinaryOp.MAX, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary("minimum", BinaryOp.MIN, this, other);
    }

    /** 1 where this > other, else 0. */
    public Tensor greater(Tensor other) {
        return Elementwise.binary("greater", BinaryOp.GREATER, this, other);
    }

    public Tensor add(double scalar) {
        return Elementwise.unary("add", UnaryOp.ADD_SCALAR, scalar, this);
    }

    public Tensor mul(double scalar) {
        return Elementwise.unary("mul", UnaryOp.MUL_SCALAR, scalar, this);
    }

    public Tensor pow(double exponent) {
        return Elementwise.unary("pow", UnaryOp.POW_SCALAR, exponent, this);
    }

    /** Element-wise {@code min(x, limit)}. */
    public Tensor clampMax(double limit) {
        return Elementwise.unary("clampMax", UnaryOp.MIN_SCALAR, limit, this);
    }

    /** Element-wise {@code max(x, limit)}. */
    public Tensor clampMin(double limit) {
        return Elementwise.unary("clampMin", UnaryOp.MAX_SCALAR, limit, this);
    }

    public Tensor neg() {
        return Elementwise.unary("neg", UnaryOp.NEG, 0, this);
    }

    public Tensor abs() {
        return Elementwise.unary("abs", UnaryOp.ABS, 0, this);
    }

    public Tensor exp() {
        return Elementwise.unary("exp", UnaryOp.EXP, 0, this);
    }

    public Tensor log() {
        return Elementwise.unary("log", UnaryOp.LOG, 0, this);
    }

    public Tensor sqrt() {
        return Elementwise.unary("sqrt", UnaryOp.SQRT, 0, this);
    }

    public Tensor rsqrt() {
        return Elementwise.unary("rsqrt", UnaryOp.RSQRT, 0, this);
    }

    public Tensor square() {
        return Elementwise.unary("square", UnaryOp.SQUARE, 0, this);
    }

    public Tensor reciprocal() {
        return Elementwise.unary("reciprocal", UnaryOp.RECIPROCAL, 0, this);
    }

    public Tensor sign() {
        return Elementwise.unary("sign", UnaryOp.SIGN, 0, this);
    }

    public Tensor relu() {
        return Activations.forward(Activation.RELU, 0, this);
    }

    public Tensor leakyRelu(double slope) {
        return Activations.forward(Activation.LEAKY_RELU, slope, this);
    }

    public Tensor sigmoid() {
        return Activations.forward(Activation.SIGMOID, 0, this);
    }

    public Tensor tanh() {
        return Activations.forward(Activation.TANH, 0, this);
    }

    /** Softmax along the last axis. */
    public Tensor softmax() {
        return Activations.softmax(false, this);
    }

    /** Log-softmax along the last axis. */
    public Tensor logSoftmax() {
        return Activations.softmax(true, this);
    }

    public Tensor sum(int axis) {
        return Reductions.reduce("sum", ReduceOp.SUM, this, axis, false);
    }

    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.reduce("sum", ReduceOp.SUM, this, axis, keepDims);
    }

    /** Sum of all elements as a scalar tensor. */
    public Tensor sum() {
        return Reductions.all("sum", ReduceOp.SUM, this);
    }

    public Tensor mean(int axis) {
        return Reductions.reduce("mean", ReduceOp.MEAN, this, axis, false);
    }

    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.reduce("mean", ReduceOp.MEAN, this, axis, keepDims);
    }

    /** Mean of all elements as a scalar tensor. */
    public Tensor mean() {
        return Reductions.all("mean", ReduceOp.MEAN, this);
    }

    public Tensor max(int axis) {
        return Reductions.reduce("max", ReduceOp.MAX, this, axis, false);
    }

    public Tensor min(int axis) {
        return Reductions.reduce("min", ReduceOp.MIN, this, axis, false);
    }

    /** Index of the first maximum along {@code axis}, as values of this tensor's dtype. */
    public Tensor argmax(int axis) {
        return Reductions.reduce("argmax", ReduceOp.ARGMAX, this, axis, false);
    }

    /** Sum of squares of all elements as a scalar tensor. */
    public Tensor sumOfSquares() {
        return Reductions.all("sumOfSquares", ReduceOp.SUM_OF_SQUARES, this);
    }

    /**
     * The Euclidean norm of all elements as a scalar tensor, scaled by the largest magnitude before
     * squaring as BLAS {@code nrm2} does, so it is right where {@code sumOfSquares().sqrt()} would
     * overflow (F32 elements above about 1e19) or underflow.
     */
    public Tensor norm() {
        return Norms.of("norm", java.util.List.of(this));
    }

    /**
     * The Euclidean norm of all elements of all {@code tensors} together (one backend and dtype), as a
     * scalar tensor, computed like {@link #norm()}: the global norm of gradient clipping.
     */
    public static Tensor norm(java.util.List<Tensor> tensors) {
        return Norms.of("norm", tensors);
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Releases this tensor's hold on its buffer; the buffer is freed when its last view is closed.
     * Idempotent and atomic: of any number of concurrent closes, exactly one releases the hold.
     */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            Scope.forget(this);
            storage.release();
        }
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype + " on " + storage.backend().name() + (closed ? " (closed)" : "");
    }
}
