package dev.ember.cpu.kernels;

/**
 * Adam's step-dependent constants for both dtypes' optimiser kernels, computed in double and kept
 * for the next call.
 */
final class AdamSteps {
    /**
     * Adam's per-call constants: {@code lr / (1 - beta1^t)} and {@code 1 / (1 - beta2^t)}, with the
     * inputs they came from. A model's variables all take the same step in turn, so the last one is
     * kept and reused (two {@code Math.pow} per variable were a visible share of a small network's step).
     */
    record AdamStep(double lr, double beta1, double beta2, int step, double weightDecay,
                    double lrOverBias1, double invBias2, double decay) {
        static AdamStep of(double lr, double beta1, double beta2, int step, double weightDecay) {
            return new AdamStep(lr, beta1, beta2, step, weightDecay, lr / (1 - Math.pow(beta1, step)),
                    1 / (1 - Math.pow(beta2, step)), lr * weightDecay);
        }

        boolean isFor(double lr, double beta1, double beta2, int step, double weightDecay) {
            return this.step == step && this.lr == lr && this.beta1 == beta1 && this.beta2 == beta2
                    && this.weightDecay == weightDecay;
        }
    }

    /** The constants of the last call, or null (immutable; racing threads at worst compute their own). */
    private volatile AdamStep last;

    /** The constants for these inputs: the last call's when they match. */
    AdamStep of(double lr, double beta1, double beta2, int step, double weightDecay) {
        AdamStep last = this.last;
        if (last != null && last.isFor(lr, beta1, beta2, step, weightDecay)) {
            return last;
        }
        AdamStep c = AdamStep.of(lr, beta1, beta2, step, weightDecay);
        this.last = c;
        return c;
    }
}
