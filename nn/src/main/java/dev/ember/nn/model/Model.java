package dev.ember.nn.model;

import dev.ember.core.Backends;
import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.Tracing;
import dev.ember.core.spi.Backend;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.layers.TrainingClock;
import dev.ember.nn.losses.L2Regularization;
import dev.ember.nn.losses.Loss;
import dev.ember.nn.metrics.Metric;
import dev.ember.nn.ops.F;
import dev.ember.nn.optim.Optimizer;
import dev.ember.nn.train.Callback;
import dev.ember.nn.train.Evaluator;
import dev.ember.nn.train.FitOptions;
import dev.ember.nn.train.History;
import dev.ember.nn.train.Trainer;

import dev.ember.nn.checkpoint.CheckpointException;
import dev.ember.nn.checkpoint.Checkpoints;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A trainable network: configuration (backend, dtype, seed), compilation (optimiser, loss, metrics,
 * L2), and the training API ({@link #fit}, {@link #evaluate}, {@link #predict}, {@link #trainStep}).
 * Subclasses define the forward pass.
 *
 * <p><b>Threads.</b> Serving is shared: {@link #predict}, {@link #predictInto}, {@link
 * #predictClass}, {@link #predictClasses}, {@link #warmUp} and {@code call(x, false)} may run on
 * any number of threads at once, and give the bits one thread gets. Everything else
 * (configuration, {@code compile}, {@code fit}, {@code trainStep}, {@code evaluate}, {@code save},
 * {@code restore}, {@code close}) is confined to one thread at a time and must not overlap with
 * predictions: train, then hand the model to the serving threads (an executor, a volatile field).
 */
public abstract class Model implements AutoCloseable {
    private Backend backend;
    private DType dtype = DType.F32;
    private long seed;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private L2Regularization l2;
    private final List<GradientObserver> observers = new ArrayList<>();
    private long steps;
    private int epoch;
    private final TrainingClock clock = new TrainingClock();
    /** The serving path's sessions, made on first use ({@link #predictInto}). */
    private volatile InferencePool inference;

    // ---------------------------------------------------------------- configuration (before build)

    /** The backend the parameters live on (default: {@link Backends#get()}). */
    public Model backend(Backend b) {
        requireUnbuilt("backend");
        this.backend = b;
        return this;
    }

    /** F32 (default) or F64 (gradient checks, exact references). */
    public Model dtype(DType d) {
        requireUnbuilt("dtype");
        this.dtype = d;
        return this;
    }

    /** Seed of the initialisers and dropout masks (default 0). */
    public Model seed(long s) {
        requireUnbuilt("seed");
        this.seed = s;
        return this;
    }

    /** L2 regularisation {@code λ/(2m) Σ||W||²} over the Dense kernels ({@link L2Regularization} says what m is). */
    public Model regularization(L2Regularization r) {
        this.l2 = r;
        return this;
    }

    /** The L2 regularisation, or null. */
    public L2Regularization regularization() {
        return l2;
    }

    public Backend backend() {
        if (backend == null) {
            backend = Backends.get();
        }
        return backend;
    }

    public DType dtype() {
        return dtype;
    }

    public long seed() {
        return seed;
    }

    // ---------------------------------------------------------------- what subclasses provide

    /**
     * The forward pass: the outputs of the last layer (logits for a classifier trained with a
     * cross-entropy; {@link #predict} gives probabilities). In training mode dropout is active and
     * batch norm uses batch statistics.
     */
    public abstract Tensor call(Tensor x, boolean training);

    /** Rejects a loss this model cannot be trained with, naming the fix (called by {@link #compile}). */
    protected void checkLoss(Loss lossFunction) {
    }

    /** Builds every layer for per-example inputs of {@code inputShape}; returns the per-example output shape. */
    public abstract Shape build(Shape inputShape);

    public abstract boolean isBuilt();

    /** The per-example input shape once built (or declared). */
    public abstract Shape inputShape();

    public abstract Shape outputShape();

    public abstract List<Variable> variables();

    /** The layers, in order. */
    public abstract List<Layer> layers();

    public abstract List<Variable> trainableVariables();

    /** Weights that L2 regularisation applies to. */
    public abstract List<Variable> regularizedVariables();

    protected abstract void closeLayers();

    // ---------------------------------------------------------------- compile

    /**
     * Sets the optimiser, loss and metrics, and builds the layers if the input shape is known (layer
     * shape mismatches are reported here, naming the layers).
     */
    public Model compile(Optimizer opt, Loss lossFunction, Metric... metricList) {
        if (opt == null || lossFunction == null) {
            throw new IllegalArgumentException("compile: optimizer and loss are required");
        }
        checkLoss(lossFunction);
        if (optimizer != null && optimizer != opt) {
            optimizer.close();   // re-compiling: free the old optimiser's state
        }
        this.optimizer = opt;
        this.loss = lossFunction;
        resetInference();   // the serving traces end with the old loss's predictions
        this.metrics = List.of(metricList);
        if (!isBuilt() && inputShape() != null) {
            build(inputShape());
        }
        return this;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public Loss loss() {
        return loss;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** Adds an observer of every step's gradients. */
    public Model observeGradients(GradientObserver observer) {
        observers.add(observer);
        return this;
    }

    // ---------------------------------------------------------------- training

    /**
     * One step on a batch: forward in training mode, loss (+ L2), gradients by the tape, optimiser
     * update. Everything stays on the device; the caller closes the result.
     */
    public StepResult trainStep(Tensor x, Tensor y) {
        requireCompiled("trainStep");
        ensureBuilt("trainStep", x);
        List<Variable> params = trainableVariables();
        try (GradientTape tape = new GradientTape()) {
            Tensor out = call(x, true);
            checkLabels(out, y);
            Tensor l = loss.compute(out, y);
            if (l2 != null) {
                Tensor penalty = l2.penalty(regularizedVariables(), x.dim(0));
                if (penalty != null) {
                    l = F.add(l, penalty);
                }
            }
            List<Tensor> grads = tape.gradient(l, params);
            try {
                Tracing.everyCall(() -> steps++);
                for (GradientObserver o : observers) {
                    o.observe(steps, params, grads);
                }
                optimizer.apply(params, grads);
            } finally {
                for (Tensor g : grads) {
                    if (g != null) {
                        g.close();
                    }
                }
            }
            return new StepResult(tape.keep(l), metricTotals(out, y), x.dim(0));
        }
    }

    /**
     * Whether {@link #trainStep} can run as a traced function ({@link Tracing}), as {@code fit} does
     * by default; if not, why not (else null). Gradient observers read gradients to the host at every
     * step, a loss may be computed on the host ({@link Loss#isTraceable()}), and some layers need Java
     * work at every step ({@link Layer#isTraceable()}).
     */
    public String whyNotTraceable() {
        if (!observers.isEmpty()) {
            return "gradient observers read every step's gradients on the host";
        }
        if (loss != null && !loss.isTraceable()) {
            return "the loss '" + loss.name() + "' is computed on the host";
        }
        for (Layer layer : layers()) {
            if (!layer.isTraceable()) {
                return "layer '" + layer.name() + "' needs Java work at every step";
            }
        }
        return null;
    }

    /**
     * The loss and metric totals of a batch in inference mode, without updating anything: the cost
     * of this batch alone, so its L2 term is {@code λ/(2m) Σ||W||²} with {@code m} the batch size.
     */
    public StepResult testStep(Tensor x, Tensor y) {
        return testStep(x, y, x.dim(0));
    }

    /**
     * As {@link #testStep(Tensor, Tensor)}, for a batch that is part of a set of {@code examples}:
     * the L2 term is {@code λ/(2·examples) Σ||W||²}, the set's own. The example-weighted mean of
     * these losses over the set's batches is the set's cost, whatever the batches' size
     * ({@link #evaluate} relies on it).
     */
    public StepResult testStep(Tensor x, Tensor y, int examples) {
        requireCompiled("evaluate");
        if (examples < 1) {
            throw new IllegalArgumentException("testStep: examples must be >= 1, got " + examples);
        }
        ensureBuilt("testStep", x);
        try (Scope scope = Scope.open()) {
            Tensor out = call(x, false);
            checkLabels(out, y);
            Tensor l = loss.compute(out, y);
            if (l2 != null) {
                Tensor penalty = l2.penalty(regularizedVariables(), examples);
                if (penalty != null) {
                    l = F.add(l, penalty);
                }
            }
            List<Tensor> totals = metricTotals(out, y);
            totals.forEach(scope::keep);
            return new StepResult(scope.keep(l), totals, x.dim(0));
        }
    }

    /** Each metric's batch total on the loss's predictions (computed once, only when there are metrics). */
    private List<Tensor> metricTotals(Tensor out, Tensor y) {
        List<Tensor> totals = new ArrayList<>(metrics.size());
        if (metrics.isEmpty()) {
            return totals;
        }
        Tensor p = loss.predictions(out);
        try {
            for (Metric m : metrics) {
                totals.add(m.batchTotal(p, y));
            }
        } finally {
            if (p != out) {
                p.close();
            }
        }
        return totals;
    }

    private void checkLabels(Tensor out, Tensor y) {
        if (!out.shape().equals(y.shape())) {
            throw new IllegalArgumentException("model: output of the last layer has shape " + out.shape()
                    + " but the labels have shape " + y.shape());
        }
    }

    /** Trains for {@code epochs} epochs of mini-batches; see {@link FitOptions} for more control. */
    public History fit(Dataset data, int epochs, int batchSize, Dataset validation, Callback... callbacks) {
        return fit(data, FitOptions.defaults().epochs(epochs).batchSize(batchSize).validation(validation)
                .callbacks(callbacks));
    }

    public History fit(Dataset data, FitOptions options) {
        requireCompiled("fit");
        ensureBuilt(data.featureShape());
        return new Trainer(this, options).fit(data);
    }

    /** Mean loss and metrics over {@code data} in inference mode: keys {@code loss} and the metric names. */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        requireCompiled("evaluate");
        ensureBuilt(data.featureShape());
        return Evaluator.evaluate(this, data, batchSize, "");
    }

    /**
     * Predictions for {@code x [batch, ...]} in inference mode: the outputs passed through the compiled
     * loss's {@link Loss#predictions} — probabilities for the cross-entropies, which take logits; the
     * outputs themselves for other losses or before {@code compile}. {@link #call} gives the raw
     * outputs. The caller owns the result.
     */
    public Tensor predict(Tensor x) {
        ensureBuilt("predict", x);
        try (Scope scope = Scope.open()) {
            Tensor out = call(x, false);
            Tensor p = loss == null ? out : loss.predictions(out);
            return p == x ? scope.keep(x.copy()) : scope.keep(p);
        }
    }

    /** Predictions ({@link #predict(Tensor)}) for host rows, as host rows. */
    public double[][] predict(double[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("predict: rows must not be null");
        }
        if (rows.length == 0) {
            return new double[0][];
        }
        int w = rows[0] == null ? 0 : rows[0].length;
        for (int i = 0; i < rows.length; i++) {   // checked before anything is allocated
            if (rows[i] == null || rows[i].length == 0) {
                throw new IllegalArgumentException("predict: row " + i + " is " + (rows[i] == null ? "null" : "empty"));
            }
            if (rows[i].length != w) {
                throw new IllegalArgumentException("predict: rows must all hold the same number of values: row 0 has "
                        + w + ", row " + i + " has " + rows[i].length);
            }
        }
        double[] flat = new double[rows.length * w];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * w, w);
        }
        try (Scope _ = Scope.open()) {
            Tensor x = Tensor.of(backend(), flat, rows.length, w);
            Tensor xt = dtype == DType.F64 ? x : x.to(dtype);
            double[] out = predict(xt).toDoubleArray();
            int k = out.length / rows.length;
            double[][] r = new double[rows.length][k];
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(out, i * k, r[i], 0, k);
            }
            return r;
        }
    }

    // ---------------------------------------------------------------- serving

    /**
     * Writes the predictions ({@link #predict(Tensor)}) for the examples in {@code in} to {@code
     * out}: {@code in} holds whole examples in row-major order ({@code rows x} the input shape's
     * size) and {@code out} receives {@code rows x} the output shape's size. Safe to call from any
     * number of threads at once (see the class's thread-safety contract), and allocation-free in
     * steady state: each batch size gets a traced forward pass with its own buffers the first time
     * it is used, which later calls replay (see {@link #warmUp}). Results are bit-identical to
     * {@link #predict(Tensor)} on the same rows; F64 models convert {@code in}, which allocates.
     */
    public void predictInto(float[] in, float[] out) {
        int rows = servingRows("predictInto", in);
        int width = outputShape().size();
        if (out == null || out.length != (long) rows * width) {
            throw new IllegalArgumentException("predictInto: out must hold " + rows + " x " + width + " = "
                    + (long) rows * width + " values, got " + (out == null ? "null" : out.length));
        }
        InferencePool pool = inference();
        InferencePool.Session s = pool.take(rows);
        try {
            s.predict(in, out);
        } finally {
            pool.give(s);
        }
    }

    /**
     * The predicted class of one example: the index of its largest prediction (the first of equal
     * ones, NaN counting as largest, as {@code argmax}). Thread-safe and allocation-free like
     * {@link #predictInto}.
     */
    public int predictClass(float[] example) {
        int rows = servingRows("predictClass", example);
        if (rows != 1) {
            throw new IllegalArgumentException("predictClass: expected one example of " + inputShape().size()
                    + " values, got " + example.length + " (" + rows + " examples: use predictClasses)");
        }
        return classes(example, 1, null);
    }

    /** The predicted class of each example in {@code in} ({@link #predictClass}), written to {@code classes}. */
    public void predictClasses(float[] in, int[] classes) {
        int rows = servingRows("predictClasses", in);
        if (classes == null || classes.length != rows) {
            throw new IllegalArgumentException("predictClasses: classes must hold " + rows + " values, got "
                    + (classes == null ? "null" : classes.length));
        }
        classes(in, rows, classes);
    }

    /** Each example's class, written to {@code classes} unless it is null; returns the first example's. */
    private int classes(float[] in, int rows, int[] classes) {
        InferencePool pool = inference();
        InferencePool.Session s = pool.take(rows);
        try {
            float[] scores = s.predict(in);
            int k = s.outputs();
            int first = argmax(scores, 0, k);
            for (int r = 0; classes != null && r < rows; r++) {
                classes[r] = argmax(scores, r * k, k);
            }
            return first;
        } finally {
            pool.give(s);
        }
    }

    /**
     * Readies the serving path for batches of {@code rows}: makes its traced forward pass and runs
     * {@code calls} predictions of zeros, so that the JIT has compiled the kernels before the first
     * real request (a few thousand calls get a single-example forward pass to its steady speed).
     * Returns this.
     */
    public Model warmUp(int rows, int calls) {
        if (rows < 1 || calls < 0) {
            throw new IllegalArgumentException("warmUp: rows must be >= 1 and calls >= 0, got rows " + rows
                    + ", calls " + calls);
        }
        requireServable("warmUp");
        float[] in = new float[Math.multiplyExact(rows, inputShape().size())];
        float[] out = new float[Math.multiplyExact(rows, outputShape().size())];
        for (int i = 0; i < Math.max(1, calls); i++) {
            predictInto(in, out);
        }
        return this;
    }

    private int servingRows(String op, float[] in) {
        requireServable(op);
        int width = inputShape().size();
        if (in == null || in.length == 0 || in.length % width != 0) {
            throw new IllegalArgumentException(op + ": input must hold whole examples of " + width + " values (shape "
                    + inputShape() + "), got " + (in == null ? "null" : in.length + " values"));
        }
        return in.length / width;
    }

    private void requireServable(String op) {
        if (!isBuilt()) {
            throw new IllegalStateException(op + ": the model is not built; build it, fit it or load it first");
        }
    }

    private InferencePool inference() {
        InferencePool pool = inference;
        if (pool == null) {
            synchronized (this) {
                pool = inference;
                if (pool == null) {
                    inference = pool = new InferencePool(backend(), dtype, inputShape(), x -> {
                        Tensor o = call(x, false);
                        return loss == null ? o : loss.predictions(o);
                    });
                }
            }
        }
        return pool;
    }

    /** Drops the serving sessions (their traces captured the loss and the layers as they were). */
    private void resetInference() {
        InferencePool pool;
        synchronized (this) {
            pool = inference;
            inference = null;
        }
        if (pool != null) {
            pool.close();
        }
    }

    /** Idle serving sessions kept (for tests). */
    int inferenceSessions() {
        InferencePool pool = inference;
        return pool == null ? 0 : pool.idleSessions();
    }

    private static int argmax(float[] v, int from, int length) {
        int best = from;
        for (int i = from + 1; i < from + length && !Float.isNaN(v[best]); i++) {
            if (v[i] > v[best] || Float.isNaN(v[i])) {
                best = i;
            }
        }
        return best - from;
    }

    /** Training steps taken so far. */
    public long steps() {
        return steps;
    }

    /** Epochs completed by {@code fit} (restored from a checkpoint): resume with {@code FitOptions.initialEpoch(epoch())}. */
    public int epoch() {
        return epoch;
    }

    /** The count of training passes that dropout draws its masks from. */
    public TrainingClock trainingClock() {
        return clock;
    }

    /**
     * Sets the training position: epochs completed, steps taken and training passes made. {@code fit}
     * sets the epoch as it goes; checkpoints set all three on restore.
     */
    public void position(int epochsDone, long stepsDone, long passes) {
        if (epochsDone < 0 || stepsDone < 0) {
            throw new IllegalArgumentException("model.position: epoch and step must be >= 0, got " + epochsDone + " and "
                    + stepsDone);
        }
        this.epoch = epochsDone;
        this.steps = stepsDone;
        clock.reset(passes);
    }

    // ---------------------------------------------------------------- checkpoints

    /**
     * Saves the model as a safetensors checkpoint (see {@link Checkpoints}): weights, batch-norm
     * running statistics, optimiser state, architecture, compile settings, Ember version and training
     * position. The file is written to a temporary file in the same folder, forced to disk and renamed
     * over {@code path}, so a crash never leaves a broken file where a good one was.
     */
    public void save(Path path) {
        if (!isBuilt()) {
            throw new IllegalStateException("save: the model is not built; compile it with an input shape or fit it first");
        }
        Checkpoints.save(this, path, new Checkpoints.Position(epoch, steps, clock.passes()));
    }

    /**
     * Rebuilds a saved model on the default backend in the dtype it was saved in, compiled as it was
     * (when its optimiser, loss and metrics are Ember's own), with its weights, optimiser state and
     * position; {@code fit} with {@code initialEpoch(model.epoch())} resumes it. A file that breaks a
     * rule is a {@link CheckpointException} naming the tensor and the rule, before anything is built.
     */
    public static Sequential load(Path path) {
        return Checkpoints.load(path, null, null);
    }

    /** {@link #load(Path)} on {@code backend} in {@code dtype} (either null for the default / saved one). */
    public static Sequential load(Path path, Backend backend, DType dtype) {
        return Checkpoints.load(path, backend, dtype);
    }

    /**
     * Loads a checkpoint into this built model, which must have exactly the file's parameters: the
     * weights, running statistics, position and, when compiled with the same kind of optimiser, its
     * state. For a model {@link #load} cannot rebuild (a custom layer, loss or optimiser).
     */
    public void restore(Path path) {
        if (!isBuilt()) {
            throw new IllegalStateException("restore: the model is not built; compile it with an input shape first");
        }
        Checkpoints.Position p = Checkpoints.restore(this, path);
        position(p.epoch(), p.step(), p.trainingPasses());
    }

    // ---------------------------------------------------------------- helpers

    private void ensureBuilt(String op, Tensor x) {
        if (x == null) {
            throw new IllegalArgumentException(op + ": x must not be null");
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": x must be [batch, features...], got shape " + x.shape()
                    + " (one example is [1, " + join(x.shape()) + "])");
        }
        int[] d = x.shape().dims();
        ensureBuilt(Shape.of(java.util.Arrays.copyOfRange(d, 1, d.length)));
    }

    private void ensureBuilt(Shape perExample) {
        if (!isBuilt()) {
            build(perExample);
        } else if (!perExample.equals(inputShape())) {
            throw new IllegalArgumentException("model: built for inputs [batch, " + join(inputShape())
                    + "] but received [batch, " + join(perExample) + "]");
        }
    }

    private static String join(Shape s) {
        String t = s.toString();
        return t.substring(1, t.length() - 1);
    }

    private void requireCompiled(String op) {
        if (optimizer == null) {
            throw new IllegalStateException(op + ": compile the model first (compile(optimizer, loss, metrics))");
        }
    }

    protected void requireUnbuilt(String what) {
        if (isBuilt()) {
            throw new IllegalStateException("model: cannot change the " + what + " after the model is built");
        }
    }

    /** Frees every parameter and the optimiser's state. */
    @Override
    public void close() {
        resetInference();
        closeLayers();
        if (optimizer != null) {
            optimizer.close();
        }
    }
}
