package dev.ember.cli.lab;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.TracedFunction;
import dev.ember.core.Tracing;
import dev.ember.nn.autodiff.GradientTape;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.data.Dataset;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.ops.F;
import dev.ember.nn.optim.Adam;
import dev.ember.nn.optim.Optimizer;
import dev.ember.nn.optim.Sgd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The framework ideas behind {@code fit}, one variant each: a {@link GradientTape} over a small
 * computation checked against the analytic derivative; a {@link Variable} updated in place by an
 * optimiser next to a constant the tape does not track; a persistent tape used twice (and a plain
 * one refusing a second use); the same training step run eagerly and as a traced function
 * ({@link Tracing}, TensorFlow's {@code tf.function}); and a Java branch frozen at trace time.
 */
final class TapeExperiment implements Experiment {
    @Override
    public String name() {
        return "tape";
    }

    @Override
    public String description() {
        return "GradientTape, variables vs constants, a persistent tape, one training step eager vs traced";
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        Plots plots = new Plots(ctx.out());
        List<VariantResult> variants = new ArrayList<>();
        variants.add(tapeGradient(ctx));
        variants.add(variableVersusConstant(ctx));
        variants.add(persistentTape(ctx));
        VariantResult traced = eagerVersusTraced(ctx);
        variants.add(traced);
        variants.add(frozenBranch(ctx));
        @SuppressWarnings("unchecked")   // eagerVersusTraced puts the eager curve there as a List<double[]>
        List<double[]> eagerCosts = (List<double[]>) traced.extra().get("eager_costs");
        plots.costs("tape-eager-vs-traced", "The same step, eager and traced: one loss curve", "step",
                List.of(new VariantResult("eager", null, null, null, null, eagerCosts, 0, null),
                        new VariantResult("traced", null, null, null, null, traced.costs(), 0, null)), true);
        return LabCommand.result(name(), ctx, start, variants, plots, List.of(
                "a tape records operations on watched tensors (trainable variables are watched) and differentiates"
                        + " them in reverse; a constant gets no gradient unless watched",
                "a traced step records its backend calls once per input signature and replays them: same"
                        + " results (bit for bit on the CPU), less time per step, Java branches frozen at trace time"));
    }

    // ---------------------------------------------------------------- 1. the tape against calculus

    /** {@code y = x^3 + 2x^2 - 5x} at {@code x = 2}: the tape's dy/dx against {@code 3x^2 + 4x - 5 = 15}. */
    private static VariantResult tapeGradient(LabContext ctx) {
        long t0 = System.nanoTime();
        double x0 = 2;
        double analytic = 3 * x0 * x0 + 4 * x0 - 5;
        double value;
        double gradient;
        int recorded;
        try (Tensor x = Tensor.of(ctx.backend(), new double[] {x0}); GradientTape tape = new GradientTape()) {
            tape.watch(x);                                   // a plain tensor is a constant unless watched
            Tensor x2 = F.mul(x, x);
            Tensor y = F.add(F.sub(F.mul(x2, x), F.scale(x, 5)), F.scale(x2, 2));
            value = y.item();
            recorded = tape.size();
            try (Tensor g = tape.gradient(y, x)) {
                gradient = g.item();
            }
        }
        ctx.progress().accept(String.format(Locale.ROOT, "  tape/tape-gradient: y(2) = %.1f, tape dy/dx = %.17g,"
                + " analytic 3x^2 + 4x - 5 = %.1f", value, gradient, analytic));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("function", "y = x^3 + 2x^2 - 5x at x = 2");
        extra.put("value", value);
        extra.put("tape_gradient", gradient);
        extra.put("analytic_gradient", analytic);
        extra.put("abs_error", Math.abs(gradient - analytic));
        extra.put("recorded_ops", recorded);
        return new VariantResult("tape-gradient", null, null, null, null, List.of(), seconds(t0), extra);
    }

    // ---------------------------------------------------------------- 2. state: variables and constants

    /**
     * Minimises {@code sum((w * c - t)^2)} over a trainable {@link Variable} {@code w} for three SGD
     * steps: the optimiser updates {@code w} in place (the same tensor, new values), the constant
     * {@code c} is untouched, and the tape has no gradient for it until it is watched.
     */
    private static VariantResult variableVersusConstant(LabContext ctx) {
        long t0 = System.nanoTime();
        Map<String, Object> extra = new LinkedHashMap<>();
        try (Variable w = Variable.of("w", ctx.backend(), DType.F64, new double[] {1, -1}, 2);
             Tensor c = Tensor.of(ctx.backend(), new double[] {0.5, 2}, 2);
             Tensor target = Tensor.of(ctx.backend(), new double[] {1, 1}, 2);
             Optimizer sgd = new Sgd(0.1)) {
            Tensor storage = w.value();
            extra.put("w_before", w.toDoubleArray());
            extra.put("c_before", c.toDoubleArray());
            for (int step = 0; step < 3; step++) {
                try (GradientTape tape = GradientTape.persistent()) {
                    Tensor loss = F.sum(F.square(F.sub(F.mul(w.value(), c), target)));
                    List<Tensor> grads = tape.gradient(loss, List.of(w));
                    if (step == 0) {
                        extra.put("w_gradient", grads.get(0).toDoubleArray());
                        extra.put("c_gradient_unwatched", String.valueOf(tape.gradient(loss, c)));
                    }
                    sgd.apply(List.of(w), grads);
                    grads.forEach(Tensor::close);
                }
            }
            try (GradientTape tape = new GradientTape()) {
                tape.watch(c);
                Tensor loss = F.sum(F.square(F.sub(F.mul(w.value(), c), target)));
                try (Tensor g = tape.gradient(loss, c)) {
                    extra.put("c_gradient_watched", g.toDoubleArray());
                }
            }
            extra.put("w_after", w.toDoubleArray());
            extra.put("c_after", c.toDoubleArray());
            extra.put("w_same_tensor", storage == w.value());
        }
        ctx.progress().accept("  tape/variable-vs-constant: w " + Arrays.toString((double[]) extra.get("w_before"))
                + " -> " + Arrays.toString((double[]) extra.get("w_after")) + " in place; c stays "
                + Arrays.toString((double[]) extra.get("c_after")) + "; gradient for the unwatched constant: "
                + extra.get("c_gradient_unwatched") + ", once watched: "
                + Arrays.toString((double[]) extra.get("c_gradient_watched")));
        return new VariantResult("variable-vs-constant", null, null, null, null, List.of(), seconds(t0), extra);
    }

    // ---------------------------------------------------------------- 3. persistent tapes

    /** {@code y = x^2, z = y^2}: dz/dx and dy/dx from one persistent tape; a plain tape refuses a second call. */
    private static VariantResult persistentTape(LabContext ctx) {
        long t0 = System.nanoTime();
        Map<String, Object> extra = new LinkedHashMap<>();
        try (Tensor x = Tensor.of(ctx.backend(), new double[] {3})) {
            try (GradientTape tape = GradientTape.persistent()) {
                tape.watch(x);
                Tensor y = F.mul(x, x);
                Tensor z = F.mul(y, y);
                try (Tensor dz = tape.gradient(z, x); Tensor dy = tape.gradient(y, x)) {
                    extra.put("dz_dx", dz.item());     // 4x^3 = 108
                    extra.put("dy_dx", dy.item());     // 2x = 6
                }
            }
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                Tensor y = F.mul(x, x);
                tape.gradient(y, x).close();
                try {
                    tape.gradient(y, x).close();
                    extra.put("second_call", "allowed");
                } catch (IllegalStateException e) {
                    extra.put("second_call", e.getMessage());
                }
            }
        }
        ctx.progress().accept("  tape/persistent-tape: dz/dx = " + extra.get("dz_dx") + " (4x^3), dy/dx = "
                + extra.get("dy_dx") + " (2x) from one tape; a plain tape's second call: " + extra.get("second_call"));
        return new VariantResult("persistent-tape", null, null, null, null, List.of(), seconds(t0), extra);
    }

    // ---------------------------------------------------------------- 4. tf.function: eager against traced

    /**
     * A 2-16-8-1 ReLU net trained full-batch with Adam on the circles, twice from the same weights:
     * eagerly and as a traced function, step by step in alternation so that a busy machine slows
     * both alike; each time per step is the median over the steps.
     */
    private static VariantResult eagerVersusTraced(LabContext ctx) {
        long t0 = System.nanoTime();
        Dataset data = LabData.course("circles_train");
        int steps = ctx.scaled(2000);
        int every = Math.max(1, steps / 50);
        try (Tensor x = Tensor.of(ctx.backend(), ctx.dtype(), data.features(), data.size(), 2);
             Tensor y = Tensor.of(ctx.backend(), ctx.dtype(), data.labels(), data.size(), 1);
             StepRun eager = new StepRun(ctx, false);
             StepRun traced = new StepRun(ctx, true)) {
            for (int s = 0; s < steps; s++) {
                boolean record = s % every == 0 || s == steps - 1;
                eager.step(s, x, y, record);
                traced.step(s, x, y, record);
            }
            double[] we = eager.weights();
            double[] wt = traced.weights();
            double maxDiff = 0;
            for (int i = 0; i < we.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(we[i] - wt[i]));
            }
            double eagerMicros = eager.medianMicros();
            double tracedMicros = traced.medianMicros();
            ctx.progress().accept(String.format(Locale.ROOT, "  tape/eager-vs-traced: %d steps, eager %.1f us/step,"
                            + " traced %.1f us/step (%.2fx; %d trace, its call %.1f ms), final loss %.6f vs %.6f,"
                            + " max weight difference %.3g", steps, eagerMicros, tracedMicros, eagerMicros / tracedMicros,
                    traced.function.traceCount(), traced.firstCallMillis, eager.lastLoss, traced.lastLoss, maxDiff));
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("steps", steps);
            extra.put("eager_us_per_step", eagerMicros);
            extra.put("traced_us_per_step", tracedMicros);
            extra.put("speed_up", eagerMicros / tracedMicros);
            extra.put("trace_count", traced.function.traceCount());
            extra.put("trace_call_ms", traced.firstCallMillis);
            extra.put("eager_final_loss", eager.lastLoss);
            extra.put("max_weight_difference", maxDiff);
            extra.put("bit_identical", maxDiff == 0 && eager.lastLoss == traced.lastLoss);
            extra.put("eager_costs", eager.costs);
            return new VariantResult("eager-vs-traced", null, null, null, traced.lastLoss, traced.costs, seconds(t0),
                    extra);
        }
    }

    /** One training run of the step: its variables, optimiser, step function (traced or not) and timings. */
    private static final class StepRun implements AutoCloseable {
        private final List<Variable> vars = new ArrayList<>();
        private final Optimizer adam = new Adam(0.01);
        private final Function<Tensor[], Tensor[]> body;
        final TracedFunction function;
        final List<double[]> costs = new ArrayList<>();
        private final List<Long> nanos = new ArrayList<>();
        double lastLoss = Double.NaN;
        double firstCallMillis;

        StepRun(LabContext ctx, boolean traced) {
            int[] dims = {2, 16, 8, 1};
            for (int l = 1; l < dims.length; l++) {
                vars.add(new Variable("W" + l, Initializers.heNormal().create(ctx.backend(), ctx.dtype(),
                        Shape.of(dims[l - 1], dims[l]), dims[l - 1], dims[l], ctx.seed(), l)));
                vars.add(new Variable("b" + l, Tensor.zeros(ctx.backend(), ctx.dtype(), dims[l])));
            }
            this.body = in -> {
                try (GradientTape tape = new GradientTape()) {
                    Tensor h = in[0];
                    for (int l = 0; l < 3; l++) {
                        Tensor z = F.dense(h, vars.get(2 * l).value(), vars.get(2 * l + 1).value());
                        h = l < 2 ? F.relu(z) : z;
                    }
                    Tensor loss = F.sigmoidCrossEntropy(h, in[1]);
                    List<Tensor> grads = tape.gradient(loss, vars);
                    adam.apply(vars, grads);
                    grads.forEach(Tensor::close);
                    return new Tensor[] {tape.keep(loss)};
                }
            };
            this.function = traced ? Tracing.function("lab-step", body) : null;
        }

        void step(int s, Tensor x, Tensor y, boolean record) {
            long start = System.nanoTime();
            Tensor[] out = function != null ? function.call(x, y) : body.apply(new Tensor[] {x, y});
            x.backend().synchronize();
            long took = System.nanoTime() - start;
            if (s == 0) {
                firstCallMillis = took / 1e6;
            } else {
                nanos.add(took);
            }
            try (Tensor loss = out[0]) {
                if (record) {
                    lastLoss = loss.item();
                    costs.add(new double[] {s, lastLoss});
                }
            }
        }

        double medianMicros() {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2] / 1e3;
        }

        double[] weights() {
            List<Double> w = new ArrayList<>();
            for (Variable v : vars) {
                for (double d : v.toDoubleArray()) {
                    w.add(d);
                }
            }
            return w.stream().mapToDouble(Double::doubleValue).toArray();
        }

        @Override
        public void close() {
            if (function != null) {
                function.close();
            }
            adam.close();
            vars.forEach(Variable::close);
        }
    }

    // ---------------------------------------------------------------- 5. what tracing freezes

    /**
     * {@code f(x) = doubled ? 2x : x} with {@code doubled} a Java flag: traced while false, the flag
     * set, and called again (the trace does not run the Java code: still x), then eagerly (2x), then
     * traced for a new shape (a new trace, which sees the flag: 2x).
     */
    private static VariantResult frozenBranch(LabContext ctx) {
        long t0 = System.nanoTime();
        boolean[] doubled = {false};
        Function<Tensor[], Tensor[]> body = in -> new Tensor[] {doubled[0] ? in[0].mul(2) : in[0].mul(1)};
        Map<String, Object> extra = new LinkedHashMap<>();
        try (TracedFunction f = Tracing.function("branchy", body);
             Tensor x = Tensor.of(ctx.backend(), new double[] {1, 2}, 2);
             Tensor wider = Tensor.of(ctx.backend(), new double[] {1, 2, 3}, 3)) {
            extra.put("traced_flag_false", values(f.call(x)));
            doubled[0] = true;
            extra.put("traced_after_flag_true", values(f.call(x)));
            extra.put("eager_after_flag_true", values(body.apply(new Tensor[] {x})));
            extra.put("traced_new_shape", values(f.call(wider)));
            extra.put("trace_count", f.traceCount());
        }
        ctx.progress().accept("  tape/frozen-branch: traced f(x) with the flag off " + Arrays.toString(
                (double[]) extra.get("traced_flag_false")) + "; flag on: traced " + Arrays.toString(
                (double[]) extra.get("traced_after_flag_true")) + " (frozen), eager " + Arrays.toString(
                (double[]) extra.get("eager_after_flag_true")) + ", a new shape retraces: " + Arrays.toString(
                (double[]) extra.get("traced_new_shape")) + " (" + extra.get("trace_count") + " traces)");
        return new VariantResult("frozen-branch", null, null, null, null, List.of(), seconds(t0), extra);
    }

    private static double[] values(Tensor[] out) {
        try (Tensor t = out[0]) {
            return t.toDoubleArray();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    @Override
    public String table(ExperimentResult r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%n%s  (backend %s, %s, seed %d, %.1f s)%n",
                r.experiment(), r.backend(), r.dtype(), r.seed(), r.seconds()));
        for (VariantResult v : r.variants()) {
            sb.append(String.format("%-22s", v.name()));
            new java.util.TreeMap<>(v.extra()).forEach((k, val) -> {   // a stable order, as in the JSON
                if (!k.endsWith("costs")) {
                    sb.append(' ').append(k).append('=').append(format(val));
                }
            });
            sb.append('\n');
        }
        r.notes().forEach(n -> sb.append("  ").append(n).append('\n'));
        if (!r.plots().isEmpty()) {
            sb.append("  plots: ").append(String.join(", ", r.plots())).append('\n');
        }
        return sb.toString();
    }

    private static String format(Object v) {
        return switch (v) {
            case double[] a -> Arrays.toString(a);
            case Double d -> String.format(Locale.ROOT, "%.6g", d);
            default -> String.valueOf(v);
        };
    }
}
