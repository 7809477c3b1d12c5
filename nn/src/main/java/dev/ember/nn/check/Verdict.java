package dev.ember.nn.check;

/** What a relative difference between backprop and finite-difference gradients means. */
public enum Verdict {
    /** Below 2e-7: backprop is right. */
    GOOD,
    /** Between 2e-7 and 1e-3: look closer (kinks of ReLU near 0, F32 rounding, a subtle bug). */
    SUSPICIOUS,
    /** Above 1e-3: almost certainly a bug in the backward pass. */
    BUG;

    public static final double GOOD_BELOW = 2e-7;
    public static final double BUG_ABOVE = 1e-3;

    public static Verdict of(double relativeDifference) {
        if (Double.isNaN(relativeDifference) || relativeDifference > BUG_ABOVE) {
            return BUG;
        }
        return relativeDifference < GOOD_BELOW ? GOOD : SUSPICIOUS;
    }
}
