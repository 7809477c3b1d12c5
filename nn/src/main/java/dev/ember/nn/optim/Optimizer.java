package dev.ember.nn.optim;

import dev.ember.core.LiveScalar;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.core.Tracing;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.schedule.LearningRateSchedule;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates variables in place from their gradients with one fused kernel per variable per step
 * ({@link dev.ember.core.Updates}). Per-variable state (velocities, moments) is created on the first
 * step and freed by {@link #close()}. Conventions follow deeplearning.ai: {@code v = βv + (1-β)g}.
 *
 * <p><b>Threads.</b> Confined to the training thread: it holds per-step state (moments, step count).
 */
public abstract class Optimizer implements AutoCloseable {
    private final String name;
    private final double initialRate;
    private double rate;
    private LearningRateSchedule schedule;   // null: constant
    private GradientClipping clipping;
    private double rateFactor = 1;   // lowered by ReduceOnPlateau; multiplies the scheduled rate
    private int iterations;
    /** The rate and step count as the update kernels read them: live, so a traced step reads them at every replay. */
    private final LiveScalar liveRate;
    private final LiveScalar liveStep = LiveScalar.of(0L);
    private final Map<Variable, Tensor[]> state = new IdentityHashMap<>();

    protected Optimizer(String name, double learningRate) {
        this.name = name;
        this.initialRate = Check.learningRate(name, learningRate);
        this.rate = learningRate;
        this.liveRate = LiveScalar.of(learningRate);
    }

    public String name() {
        return name;
    }

    /** The current learning rate. */
    public double learningRate() {
        return rate;
    }

    public double initialLearningRate() {
        return initialRate;
    }

    /** Sets the rate schedule (applied by {@link #beginEpoch}). */
    public Optimizer schedule(LearningRateSchedule s) {
        this.schedule = s;
        return this;
    }

    /** The rate schedule, or null for a constant rate. */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** The gradient clipping, or null for none. */
    public GradientClipping clipping() {
        return clipping;
    }

    /**
     * The settings that, with {@link #name()} and {@link #initialLearningRate()}, rebuild this
     * optimiser (a checkpoint records them): {@code beta1}, {@code beta2}, {@code epsilon}, ...
     */
    public Map<String, Double> hyperparameters() {
        return Map.of();
    }

    /** The names of the state tensors kept per variable, in slot order ({@code m}, {@code v} for Adam). */
    public List<String> slotNames() {
        return List.of();
    }

    /** The state tensors of {@code v} in {@link #slotNames()} order (owned by the optimiser), or null before its first step. */
    public Tensor[] state(Variable v) {
        Tensor[] s = state.get(v);
        return s == null ? null : s.clone();
    }

    /**
     * Restores what a checkpoint saved: the step count and, per variable, the state tensors' values
     * in {@link #slotNames()} order. Variables not in {@code slots} start from zeros as usual.
     */
    public void restore(int stepCount, Map<Variable, double[][]> slots) {
        if (stepCount < 0) {
            throw new IllegalArgumentException(name + ".restore: step count must be >= 0, got " + stepCount);
        }
        for (Map.Entry<Variable, double[][]> e : slots.entrySet()) {
            double[][] values = e.getValue();
            if (values.length != slotNames().size()) {
                throw new IllegalArgumentException(name + ".restore: '" + e.getKey().name() + "' needs "
                        + slotNames().size() + " state tensors " + slotNames() + ", got " + values.length);
            }
            Tensor[] s = slots(e.getKey(), values.length);
            for (int i = 0; i < values.length; i++) {
                s[i].copyFrom(values[i]);
            }
        }
        this.iterations = stepCount;
        liveStep.set((long) stepCount);
    }

    /** Clips gradients before every update. */
    public Optimizer clipping(GradientClipping c) {
        this.clipping = c;
        return this;
    }

    /** Sets the learning rate for {@code epoch}: the schedule's rate times {@link #rateFactor()}. */
    public void beginEpoch(int epoch) {
        double r = (schedule == null ? initialRate : schedule.rate(initialRate, epoch)) * rateFactor;
        this.rate = Check.learningRate(name + " (scheduled, epoch " + epoch + ")", r);
    }

    /** What the scheduled rate is multiplied by: 1, unless a {@code ReduceOnPlateau} lowered it. */
    public double rateFactor() {
        return rateFactor;
    }

    /**
     * Sets the factor on the scheduled rate, in {@code (0, 1]}, from the next {@link #beginEpoch}
     * (checkpoints record it, so a resumed run continues at the reduced rate).
     */
    public Optimizer rateFactor(double factor) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException(name + ": rateFactor must be in (0, 1], got " + factor);
        }
        this.rateFactor = factor;
        return this;
    }

    /** Number of update steps taken (Adam's bias-correction step is this count). */
    public int iterations() {
        return iterations;
    }

    /**
     * One update of every variable that has a gradient ({@code null} gradients are skipped). Does not
     * close the gradients.
     */
    public void apply(List<Variable> variables, List<Tensor> gradients) {
        if (variables.size() != gradients.size()) {
            throw new IllegalArgumentException(name + ": " + variables.size() + " variables but "
                    + gradients.size() + " gradients");
        }
        List<Tensor> grads = clipping == null ? gradients : clipping.clip(gradients);
        try {
            Tracing.everyCall(this::advance);
            for (int i = 0; i < variables.size(); i++) {
                Tensor g = grads.get(i);
                if (g != null) {
                    Variable v = variables.get(i);
                    if (!g.shape().equals(v.shape())) {
                        throw new IllegalArgumentException(name + ": gradient for '" + v.name() + "' has shape "
                                + g.shape() + " but the variable has " + v.shape());
                    }
                    update(v, g, liveRate, liveStep);
                }
            }
        } finally {
            if (grads != gradients) {
                for (Tensor g : grads) {
                    if (g != null) {
                        g.close();
                    }
                }
            }
        }
    }

    /** Counts the step and publishes this step's rate and count to the kernels. */
    private void advance() {
        iterations++;
        liveStep.set((long) iterations);
        liveRate.set(rate);
    }

    /**
     * Applies one step to {@code v}, with this step's learning {@code rate} and 1-based {@code step}
     * count. Pass them on as they are (not their current values) so that a traced step reads them
     * at every replay.
     */
    protected abstract void update(Variable v, Tensor grad, LiveScalar rate, LiveScalar step);

    /** The variable's {@code count} state tensors (zeros on first use). */
    protected Tensor[] slots(Variable v, int count) {
        Tensor[] s = state.get(v);
        if (s == null) {
            s = Scope.unscoped(() -> {   // the state outlives any scope around the step that creates it
                Tensor[] made = new Tensor[count];
                for (int i = 0; i < count; i++) {
                    made[i] = Tensor.zeros(v.backend(), v.dtype(), v.shape());
                }
                return made;
            });
            state.put(v, s);
        }
        return s;
    }

    /** Frees all per-variable state. */
    @Override
    public void close() {
        for (Tensor[] s : state.values()) {
            for (Tensor t : s) {
                t.close();
            }
        }
        state.clear();
    }
}
