package dev.ember.cli.lab;

import dev.ember.core.DType;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.check.GradientCheck;
import dev.ember.nn.check.GradientCheckResult;
import dev.ember.nn.check.GradientEntry;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.ops.F;
import dev.ember.nn.random.NumpyRandomState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Gradient checking: a 4→5→3→1 ReLU/ReLU/sigmoid network on random data, in F64 whatever
 * {@code --dtype} says. The correct backprop passes; then a deliberately broken backward pass (the
 * second layer's pre-activation passes its values through unchanged but doubles the gradient on the
 * way back, so every parameter below it gets a wrong gradient) is caught, and the check names the
 * parameters whose gradients are wrong.
 */
final class GradcheckExperiment implements Experiment {
    @Override
    public String name() {
        return "gradcheck";
    }

    @Override
    public String description() {
        return "gradient checking: correct backprop passes, a planted backprop bug is caught (4-5-3-1, F64)";
    }

    /** Identity forward; gradient doubled backward: the planted bug. */
    static Tensor buggyIdentity(Tensor x) {
        Tensor y = x.mul(1.0);
        return Recorder.record("plantedBug", y, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.mul(2.0)});
    }

    @Override
    public ExperimentResult run(LabContext ctx) {
        long start = System.nanoTime();
        var b = ctx.backend();
        int m = 3;
        int[] dims = {4, 5, 3, 1};
        NumpyRandomState rng = new NumpyRandomState(ctx.numpyRng() ? 1 : ctx.seed() & 0xffffffffL);
        double[] xs = rng.randn(m * dims[0]);
        double[] ys = {1, 1, 0};
        List<Variable> params = new ArrayList<>();
        List<VariantResult> out = new ArrayList<>();
        try (Tensor x = Tensor.of(b, xs, m, dims[0]); Tensor y = Tensor.of(b, ys, m, 1)) {
            for (int l = 1; l < dims.length; l++) {
                params.add(new Variable("W" + l, Initializers.randomNormal(1).create(b, DType.F64,
                        Shape.of(dims[l - 1], dims[l]), dims[l - 1], dims[l], ctx.seed(), 2L * l)));
                params.add(new Variable("b" + l, Initializers.randomNormal(1).create(b, DType.F64, Shape.of(dims[l]),
                        dims[l - 1], dims[l], ctx.seed(), 2L * l + 1)));
            }
            for (boolean buggy : new boolean[] {false, true}) {
                long t0 = System.nanoTime();
                UnaryOperator<Tensor> bug = buggy ? GradcheckExperiment::buggyIdentity : t -> t;
                GradientCheckResult r = GradientCheck.of(() -> {
                    Tensor h1 = F.relu(F.dense(x, params.get(0).value(), params.get(1).value()));
                    Tensor h2 = F.relu(bug.apply(F.dense(h1, params.get(2).value(), params.get(3).value())));
                    return F.sigmoidCrossEntropy(F.dense(h2, params.get(4).value(), params.get(5).value()), y);
                }, params).epsilon(1e-7).worstEntries(3).run();
                String name = buggy ? "planted-bug" : "backprop";
                ctx.progress().accept("  gradcheck/" + name + ": " + r.summary().replace("\n", "\n  "));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("relative_difference", r.relativeDifference());
                extra.put("verdict", r.verdict().name());
                extra.put("passed", r.passed());
                extra.put("per_parameter", r.perParameter());
                List<Map<String, Object>> worst = new ArrayList<>();
                for (GradientEntry e : r.worst()) {
                    worst.add(Map.of("parameter", e.parameter(), "index", e.index(), "backprop", e.analytic(),
                            "numeric", e.numeric()));
                }
                extra.put("worst", worst);
                extra.put("checked", r.checked());
                out.add(new VariantResult(name, null, null, null, null, List.of(), (System.nanoTime() - t0) / 1e9,
                        extra));
            }
        } finally {
            params.forEach(Variable::close);
        }
        return LabCommand.result(name(), new LabContext(ctx.backend(), DType.F64, ctx.seed(), ctx.numpyRng(),
                        ctx.scale(), ctx.out(), ctx.dataDir(), ctx.progress()), start, out, new Plots(null),
                List.of("verdicts: GOOD below 2e-7, BUG above 1e-3; the planted bug doubles the gradient reaching"
                        + " layer 2's pre-activation, so W1, b1, W2 and b2 are wrong and W3, b3 are right"));
    }
}
