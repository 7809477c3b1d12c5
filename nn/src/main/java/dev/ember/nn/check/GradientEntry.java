package dev.ember.nn.check;

/** One checked element: backprop's and the finite-difference value, and how far apart they are. */
public record GradientEntry(String parameter, int index, double analytic, double numeric) {
    public double absoluteDifference() {
        return Math.abs(analytic - numeric);
    }

    @Override
    public String toString() {
        return String.format("%s[%d]: backprop %.10g, numeric %.10g, |diff| %.3g", parameter, index, analytic, numeric,
                absoluteDifference());
    }
}
