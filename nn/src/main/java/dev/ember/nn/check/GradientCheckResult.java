package dev.ember.nn.check;

import java.util.List;
import java.util.Map;

/**
 * Outcome of a gradient check.
 *
 * @param relativeDifference overall {@code ||g - g~|| / (||g|| + ||g~||)} over every checked element
 * @param perParameter       the same ratio per parameter, in parameter order
 * @param worst              the entries with the largest absolute differences, largest first
 * @param checked            number of elements compared
 * @param epsilon            the finite-difference step
 */
public record GradientCheckResult(double relativeDifference, Map<String, Double> perParameter,
                                  List<GradientEntry> worst, int checked, double epsilon) {
    public Verdict verdict() {
        return Verdict.of(relativeDifference);
    }

    public boolean passed() {
        return verdict() == Verdict.GOOD;
    }

    /** A few lines for a console or a log. */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format("gradient check: relative difference %.3e over %d elements"
                + " (epsilon %.0e): %s", relativeDifference, checked, epsilon, verdict()));
        perParameter.forEach((name, d) -> sb.append(String.format("%n  %-24s %.3e %s", name, d, Verdict.of(d))));
        if (!worst.isEmpty()) {
            sb.append("\n  worst entries:");
            for (GradientEntry e : worst) {
                sb.append("\n    ").append(e);
            }
        }
        return sb.toString();
    }
}
