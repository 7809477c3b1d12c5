package dev.ember.nn.losses;

/** The standard losses. */
public final class Losses {
    private Losses() {
    }

    /** Binary cross-entropy on probabilities (a final sigmoid is fused away during training). */
    public static Loss binaryCrossEntropy() {
        return new BinaryCrossEntropy(false);
    }

    /** Binary cross-entropy on logits (the model has no final sigmoid). */
    public static Loss binaryCrossEntropyFromLogits() {
        return new BinaryCrossEntropy(true);
    }

    /** Softmax cross-entropy on probabilities (a final softmax is fused away during training). */
    public static Loss categoricalCrossEntropy() {
        return new CategoricalCrossEntropy(false);
    }

    /** Softmax cross-entropy on logits. */
    public static Loss categoricalCrossEntropyFromLogits() {
        return new CategoricalCrossEntropy(true);
    }

    public static Loss meanSquaredError() {
        return new MeanSquaredError();
    }
}
