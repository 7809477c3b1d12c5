package dev.ember.cli.lab;

import java.util.Locale;

/**
 * The table of {@code lab gradients}: per variant the first-over-last gradient-norm ratio at step 1
 * and at the end, the largest layer norm seen, how many layers the monitor flags at step 1, the last
 * hidden layer's activation spread and the mean saturated (or dead) fraction at step 1, then the
 * usual cost and accuracies.
 */
final class GradientsTable {
    private GradientsTable() {
    }

    static String of(ExperimentResult r) {
        StringBuilder sb = new StringBuilder(LabCommand.heading(r));
        sb.append(String.format("%-24s %10s %10s %9s %6s %7s %9s %8s %11s %9s %9s %8s%n", "variant", "|g1|/|g15|",
                "at end", "max |g|", "vanish", "explode", "std L14", "sat/dead", "final cost", "train acc", "dev acc",
                "seconds"));
        for (VariantResult v : r.variants()) {
            GradientsRun.Sample first = GradientsPlots.samples(v).get(0);
            double[] std = first.activationStd();
            double sat = 0;
            for (double s : first.saturated()) {
                sat += s / first.saturated().length;
            }
            sb.append(String.format(Locale.ROOT,
                    "%-24s %10.2e %10.2e %9.2e %6d %7d %9.2e %8.2f %11s %9.4f %9.4f %8.2f%n",
                    v.name(), (Double) v.extra().get("gradient_ratio_first_last"),
                    (Double) v.extra().get("gradient_ratio_first_last_end"), (Double) v.extra().get("max_gradient_norm"),
                    (Long) v.extra().get("vanishing_layers_at_start"), (Long) v.extra().get("exploding_layers_at_start"),
                    std[std.length - 1], sat,
                    v.finalCost() == null ? "diverged" : String.format(Locale.ROOT, "%.4f", v.finalCost()),
                    v.trainAccuracy(), v.devAccuracy(), v.seconds()));
        }
        return sb.append(LabCommand.footer(r)).toString();
    }
}
