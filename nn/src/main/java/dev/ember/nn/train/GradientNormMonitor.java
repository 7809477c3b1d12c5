package dev.ember.nn.train;

import dev.ember.core.DType;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Variable;
import dev.ember.nn.model.GradientObserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records the L2 norm of each layer's gradient (the variables named {@code layer/...} together) every
 * {@code every} steps, and flags layers whose norm falls below the vanishing threshold or rises above
 * the exploding one. Attach with {@code model.observeGradients(monitor)}. Norms are summed in F64, so
 * an F32 gradient far below F32's square root of its smallest value still reads as its true norm.
 * Reading norms costs one host read per layer per sampled step, so sample sparsely on accelerators.
 */
public final class GradientNormMonitor implements GradientObserver {
    /** One sampled step's norm for one layer. */
    public record Sample(long step, String layer, double norm, Status status) {
    }

    /** How a layer's gradient norm looks. */
    public enum Status { OK, VANISHING, EXPLODING }

    private final int every;
    private final double vanishingBelow;
    private final double explodingAbove;
    private final List<Sample> samples = new ArrayList<>();

    /** Defaults: every step, vanishing below 1e-7, exploding above 1e3. */
    public GradientNormMonitor() {
        this(1, 1e-7, 1e3);
    }

    public GradientNormMonitor(int every, double vanishingBelow, double explodingAbove) {
        if (every <= 0) {
            throw new IllegalArgumentException("gradientNormMonitor: every must be > 0, got " + every);
        }
        if (!(vanishingBelow >= 0 && explodingAbove > vanishingBelow)) {
            throw new IllegalArgumentException("gradientNormMonitor: need 0 <= vanishingBelow < explodingAbove, got "
                    + vanishingBelow + " and " + explodingAbove);
        }
        this.every = every;
        this.vanishingBelow = vanishingBelow;
        this.explodingAbove = explodingAbove;
    }

    @Override
    public void observe(long step, List<Variable> variables, List<Tensor> gradients) {
        if ((step - 1) % every != 0) {
            return;
        }
        Map<String, Double> sq = new LinkedHashMap<>();
        for (int i = 0; i < variables.size(); i++) {
            Tensor g = gradients.get(i);
            String layer = layerOf(variables.get(i).name());
            double s = 0;
            if (g != null) {
                // squares in F64: an F32 gradient of 1e-20 (a deep sigmoid net's first layer) squares to
                // 1e-40, below F32's range, and would read as a norm of exactly 0
                try (Tensor wide = g.dtype() == DType.F64 ? null : g.to(DType.F64);
                     Tensor t = (wide == null ? g : wide).sumOfSquares()) {
                    s = t.item();
                }
            }
            sq.merge(layer, s, Double::sum);
        }
        sq.forEach((layer, s) -> {
            double norm = Math.sqrt(s);
            samples.add(new Sample(step, layer, norm, classify(norm)));
        });
    }

    private Status classify(double norm) {
        if (!(norm <= explodingAbove)) {
            return Status.EXPLODING;
        }
        return norm < vanishingBelow ? Status.VANISHING : Status.OK;
    }

    private static String layerOf(String variable) {
        int slash = variable.indexOf('/');
        return slash < 0 ? variable : variable.substring(0, slash);
    }

    public List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Samples that were flagged. */
    public List<Sample> flagged() {
        return samples.stream().filter(s -> s.status() != Status.OK).toList();
    }

    /** The latest norm per layer. */
    public Map<String, Double> latest() {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.forEach(s -> out.put(s.layer(), s.norm()));
        return out;
    }

    /** A short report: the latest norm per layer and how many samples were flagged. */
    public String report() {
        StringBuilder sb = new StringBuilder("gradient norms (latest):");
        latest().forEach((l, n) -> sb.append(String.format("%n  %-16s %.3e %s", l, n, classify(n))));
        sb.append(String.format("%n  flagged samples: %d of %d", flagged().size(), samples.size()));
        return sb.toString();
    }
}
