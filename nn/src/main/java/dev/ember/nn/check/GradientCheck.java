package dev.ember.nn.check;

import dev.ember.core.DType;
import dev.ember.core.Scope;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Supplier;

/**
 * Compares backprop gradients with two-sided finite differences
 * {@code (J(θ+ε) - J(θ-ε)) / 2ε}, element by element, in F64.
 *
 * <pre>{@code
 * GradientCheckResult r = GradientCheck.of(() -> F.sigmoidCrossEntropy(model.call(x, true), y), model.trainableVariables())
 *         .epsilon(1e-7).run();
 * System.out.println(r.summary());      // overall relative difference, per parameter, worst entries, verdict
 * }</pre>
 * The loss function is called once under a tape and then twice per element without one; it must be
 * deterministic (no dropout with a fresh mask per call) and must return a scalar it does not keep.
 */
public final class GradientCheck {
    private final Supplier<Tensor> loss;
    private final List<Variable> parameters;
    private double epsilon = 1e-7;
    private int worstEntries = 5;
    private int maxEntriesPerParameter = Integer.MAX_VALUE;

    private GradientCheck(Supplier<Tensor> loss, List<Variable> parameters) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("gradientCheck: no parameters to check");
        }
        for (Variable v : parameters) {
            if (v.dtype() != DType.F64) {
                throw new IllegalArgumentException("gradientCheck: parameter '" + v.name() + "' is " + v.dtype()
                        + "; finite differences with epsilon 1e-7 need F64 (build the model with DType.F64)");
            }
        }
        this.loss = loss;
        this.parameters = List.copyOf(parameters);
    }

    public static GradientCheck of(Supplier<Tensor> loss, List<Variable> parameters) {
        return new GradientCheck(loss, parameters);
    }

    /** The finite-difference step (default 1e-7). */
    public GradientCheck epsilon(double epsilon) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("gradientCheck: epsilon must be > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
        return this;
    }

    /** How many of the worst entries the result lists (default 5). */
    public GradientCheck worstEntries(int count) {
        this.worstEntries = Math.max(0, count);
        return this;
    }

    /** Checks at most this many (evenly spaced) elements of each parameter, for larger models. */
    public GradientCheck maxEntriesPerParameter(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("gradientCheck: maxEntriesPerParameter must be >= 1, got " + count);
        }
        this.maxEntriesPerParameter = count;
        return this;
    }

    public GradientCheckResult run() {
        double[][] analytic = backprop();
        double diffSq = 0;
        double normA = 0;
        double normN = 0;
        int checked = 0;
        Map<String, Double> perParameter = new LinkedHashMap<>();
        PriorityQueue<GradientEntry> worst = new PriorityQueue<>(
                Comparator.comparingDouble(GradientEntry::absoluteDifference));
        for (int p = 0; p < parameters.size(); p++) {
            Variable v = parameters.get(p);
            int n = v.size();
            double[] base = v.toDoubleArray();
            int stride = Math.max(1, (int) Math.ceil(n / (double) Math.min(n, maxEntriesPerParameter)));
            double pd = 0;
            double pa = 0;
            double pn = 0;
            try (Tensor flat = v.value().reshape(n)) {
                for (int i = 0; i < n; i += stride) {
                    double theta = base[i];
                    double plus;
                    double minus;
                    try (Tensor at = flat.slice(i, i + 1)) {   // the one element, written in place
                        try {
                            plus = evaluate(at, theta + epsilon);
                            minus = evaluate(at, theta - epsilon);
                        } finally {   // a failing loss must not leave the parameter perturbed
                            at.copyFrom(new double[] {theta});
                        }
                    }
                    double numeric = (plus - minus) / (2 * epsilon);
                    double a = analytic[p][i];
                    pd += (a - numeric) * (a - numeric);
                    pa += a * a;
                    pn += numeric * numeric;
                    checked++;
                    worst.add(new GradientEntry(v.name(), i, a, numeric));
                    if (worst.size() > worstEntries) {
                        worst.poll();
                    }
                }
            }
            perParameter.put(v.name(), ratio(pd, pa, pn));
            diffSq += pd;
            normA += pa;
            normN += pn;
        }
        List<GradientEntry> worstList = new ArrayList<>(worst);
        worstList.sort(Comparator.comparingDouble(GradientEntry::absoluteDifference).reversed());
        return new GradientCheckResult(ratio(diffSq, normA, normN), perParameter, worstList, checked, epsilon);
    }

    private static double ratio(double diffSq, double aSq, double nSq) {
        double denom = Math.sqrt(aSq) + Math.sqrt(nSq);
        return denom == 0 ? 0 : Math.sqrt(diffSq) / denom;
    }

    private double evaluate(Tensor at, double theta) {
        at.copyFrom(new double[] {theta});
        try (Scope _ = Scope.open()) {   // frees the forward pass's intermediates too
            return scalar(loss.get());
        }
    }

    private double[][] backprop() {
        double[][] out = new double[parameters.size()][];
        try (GradientTape tape = new GradientTape()) {
            Tensor l = loss.get();
            scalar(l);
            List<Tensor> grads = tape.gradient(l, parameters);
            for (int i = 0; i < out.length; i++) {
                Tensor g = grads.get(i);
                if (g == null) {
                    out[i] = new double[parameters.get(i).size()];
                } else {
                    out[i] = g.toDoubleArray();
                    g.close();
                }
            }
        }
        return out;
    }

    private static double scalar(Tensor l) {
        if (l.size() != 1) {
            throw new IllegalArgumentException("gradientCheck: the loss must be a scalar, got shape " + l.shape());
        }
        return l.item();
    }
}
