package dev.ember.nn.train;

/** Training produced a NaN or infinite loss. */
public final class NonFiniteLossException extends RuntimeException {
    private final int epoch;
    private final int step;

    public NonFiniteLossException(int epoch, int step, double value) {
        super("fit: the loss became " + value + " at epoch " + epoch + ", step " + step
                + " (try a smaller learning rate, gradient clipping, or check the inputs for NaN)");
        this.epoch = epoch;
        this.step = step;
    }

    public int epoch() {
        return epoch;
    }

    public int step() {
        return step;
    }
}
