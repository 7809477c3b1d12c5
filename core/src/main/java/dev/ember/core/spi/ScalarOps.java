package dev.ember.core.spi;

/**
 * The element-wise primitives on one value, in double: the definition every backend's kernels
 * agree with, special values included (see {@link Backend}). F32 values widen exactly, and rounding
 * the double result of +, -, *, /, sqrt back to float gives the same bits as the float operation
 * (double has more than 2 * 24 + 2 significant bits), so one definition serves both dtypes.
 */
public final class ScalarOps {
    private ScalarOps() {
    }

    public static double unary(UnaryOp op, double p, double x) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1.0 / x;
            case SIGN -> Math.signum(x);
            case ADD_SCALAR -> x + p;
            case MUL_SCALAR -> x * p;
            case POW_SCALAR -> Math.pow(x, p);
            case MIN_SCALAR -> Math.min(x, p);
            case MAX_SCALAR -> Math.max(x, p);
            case TANH -> Math.tanh(x);
        };
    }

    public static double binary(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case GREATER -> a > b ? 1 : 0;
        };
    }

    /**
     * One reduction over {@code length} elements {@code stride} apart from {@code first}, accumulated
     * in double in index order: numpy's sum, mean, max, min (NaN propagates), argmax (the first
     * maximum, or the first NaN) and sum of squares.
     */
    public static double reduce(ReduceOp op, double[] x, int first, int length, int stride) {
        double acc = switch (op) {
            case SUM, MEAN, SUM_OF_SQUARES -> 0.0;
            case MAX, ARGMAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        int best = 0;
        for (int j = 0; j < length; j++) {
            double v = x[first + j * stride];
            switch (op) {
                case SUM, MEAN -> acc += v;
                case SUM_OF_SQUARES -> acc += v * v;
                case MAX -> acc = Math.max(acc, v);
                case MIN -> acc = Math.min(acc, v);
                case ARGMAX -> {
                    if (j == 0 || (!Double.isNaN(acc) && (v > acc || Double.isNaN(v)))) {
                        acc = v;
                        best = j;
                    }
                }
            }
        }
        return switch (op) {
            case MEAN -> acc / length;
            case ARGMAX -> best;
            default -> acc;
        };
    }
}
