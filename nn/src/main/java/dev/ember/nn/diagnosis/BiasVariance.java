package dev.ember.nn.diagnosis;

import java.util.ArrayList;
import java.util.List;

/**
 * Bias/variance diagnosis from three error rates (fractions in [0, 1]): the baseline (human-level
 * or Bayes error, the best one can hope for), the training error and the dev error.
 * Avoidable bias = training − baseline; variance = dev − training. A gap counts as a problem when it
 * exceeds {@code threshold} (default 0.02, i.e. two percentage points); when both do, the problem is
 * {@link Problem#BOTH}, and the larger of the two gaps is named first in the remedies.
 *
 * <pre>{@code
 * Diagnosis d = BiasVariance.diagnose(0.165, 0.08, 0.11);   // baseline, train, dev (errors)
 * System.out.println(d.summary());
 * }</pre>
 */
public final class BiasVariance {
    /** The dominant problem. */
    public enum Problem {
        HIGH_BIAS("high bias"), HIGH_VARIANCE("high variance"), BOTH("high bias and high variance"),
        NEITHER("neither: close to the baseline on train and dev");

        private final String text;

        Problem(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static final double DEFAULT_THRESHOLD = 0.02;

    /** The result: the gaps, the problem and the usual remedies (most important first). */
    public record Diagnosis(double baselineError, double trainError, double devError, double avoidableBias,
                            double variance, Problem problem, List<String> remedies) {
        /** A few lines for a console. */
        public String summary() {
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "baseline error %.4f, train error %.4f, dev error %.4f%n"
                            + "avoidable bias %.4f, variance %.4f: %s", baselineError, trainError, devError,
                    avoidableBias, variance, problem));
            for (String r : remedies) {
                sb.append("\n  - ").append(r);
            }
            return sb.toString();
        }
    }

    private BiasVariance() {
    }

    public static Diagnosis diagnose(double baselineError, double trainError, double devError) {
        return diagnose(baselineError, trainError, devError, DEFAULT_THRESHOLD);
    }

    public static Diagnosis diagnose(double baselineError, double trainError, double devError, double threshold) {
        check("baselineError", baselineError);
        check("trainError", trainError);
        check("devError", devError);
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("biasVariance: threshold must be >= 0, got " + threshold);
        }
        double bias = trainError - baselineError;
        double variance = devError - trainError;
        boolean highBias = bias > threshold;
        boolean highVariance = variance > threshold;
        Problem p = highBias && highVariance ? Problem.BOTH : highBias ? Problem.HIGH_BIAS
                : highVariance ? Problem.HIGH_VARIANCE : Problem.NEITHER;
        List<String> remedies = new ArrayList<>();
        List<String> biasRemedies = List.of("train a bigger network (more units or layers)",
                "train longer or with a better optimiser (Adam, a tuned learning rate, batch norm)",
                "search for a better architecture / hyper-parameters; reduce regularisation");
        List<String> varianceRemedies = List.of("get more training data (or augment it)",
                "add regularisation (L2, dropout) or stop early",
                "search for a better architecture / hyper-parameters");
        switch (p) {
            case HIGH_BIAS -> remedies.addAll(biasRemedies);
            case HIGH_VARIANCE -> remedies.addAll(varianceRemedies);
            case BOTH -> {
                if (bias >= variance) {
                    remedies.addAll(biasRemedies);
                    remedies.addAll(varianceRemedies.subList(0, 2));
                } else {
                    remedies.addAll(varianceRemedies.subList(0, 2));
                    remedies.addAll(biasRemedies);
                }
            }
            case NEITHER -> {
                if (trainError < baselineError) {
                    remedies.add("training error is below the baseline: progress is now hard to judge; check the"
                            + " baseline, or that dev and test come from the distribution you care about");
                } else {
                    remedies.add("no dominant problem: check the test set, or lower the baseline/threshold to dig further");
                }
            }
        }
        return new Diagnosis(baselineError, trainError, devError, bias, variance, p, List.copyOf(remedies));
    }

    /** The same from accuracies (1 − error). */
    public static Diagnosis fromAccuracies(double baselineAccuracy, double trainAccuracy, double devAccuracy) {
        return diagnose(1 - baselineAccuracy, 1 - trainAccuracy, 1 - devAccuracy);
    }

    private static void check(String name, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("biasVariance: " + name + " must be a fraction in [0, 1], got " + v);
        }
    }
}
