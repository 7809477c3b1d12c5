package dev.ember.cli.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plots of {@code lab gradients}, on logarithmic axes: per group of variants the training costs,
 * the norm of all gradients together through training, every Dense layer's gradient norm against
 * depth at step 1 and every hidden layer's activation standard deviation against depth at step 1;
 * per variant every Dense layer's gradient norm against the sampled steps.
 */
final class GradientsPlots {
    private GradientsPlots() {
    }

    static void group(Plots plots, String group, List<VariantResult> variants) {
        if (!plots.enabled()) {
            return;
        }
        plots.costs("gradients-" + group + "-costs", "gradients / " + group + ": training cost", "step", variants,
                true);
        Map<String, List<double[]>> global = new LinkedHashMap<>();
        variants.forEach(v -> global.put(v.name(), globalNorms(v)));
        plots.lines("gradients-" + group + "-global", "gradients / " + group
                + ": norm of all gradients together (before clipping)", "step", "gradient norm", true, global);
        Map<String, List<double[]>> depth = new LinkedHashMap<>();
        Map<String, List<double[]>> spread = new LinkedHashMap<>();
        for (VariantResult v : variants) {
            GradientsRun.Sample first = samples(v).get(0);
            depth.put(v.name(), byLayer(first.gradientNorms()));
            spread.put(v.name(), byLayer(first.activationStd()));
        }
        plots.lines("gradients-" + group + "-depth", "gradients / " + group
                + ": gradient norm per Dense layer at step 1", "layer (1 = input side)", "gradient norm", true, depth);
        plots.lines("gradients-" + group + "-activations", "gradients / " + group
                + ": activation std per hidden layer at step 1", "hidden layer", "activation std", true, spread);
        for (VariantResult v : variants) {
            Map<String, List<double[]>> time = new LinkedHashMap<>();
            for (GradientsRun.Sample s : samples(v)) {
                for (int l = 0; l < s.gradientNorms().length; l++) {
                    time.computeIfAbsent("layer " + (l + 1), k -> new ArrayList<>())
                            .add(new double[] {s.step(), s.gradientNorms()[l]});
                }
            }
            plots.lines("gradients-" + BinaryRun.fileName(v.name()) + "-time", "gradients / " + v.name()
                    + ": gradient norm per Dense layer during training", "step", "gradient norm", true, time);
        }
    }

    @SuppressWarnings("unchecked")
    static List<GradientsRun.Sample> samples(VariantResult v) {
        return (List<GradientsRun.Sample>) v.extra().get("samples");
    }

    @SuppressWarnings("unchecked")
    private static List<double[]> globalNorms(VariantResult v) {
        return (List<double[]>) v.extra().get("global_gradient_norms");
    }

    private static List<double[]> byLayer(double[] values) {
        List<double[]> points = new ArrayList<>(values.length);
        for (int l = 0; l < values.length; l++) {
            points.add(new double[] {l + 1, values[l]});
        }
        return points;
    }
}
