package dev.ember.nn.losses;

/** The standard losses. The cross-entropies take logits and own the output activation (see {@link Loss}). */
public final class Losses {
    private Losses() {
    }

    /** Binary cross-entropy on logits: the sigmoid is applied inside the loss (the model ends in a plain Dense). */
    public static Loss binaryCrossEntropy() {
        return new BinaryCrossEntropy();
    }

    /** Softmax cross-entropy on logits: the softmax is applied inside the loss (the model ends in a plain Dense). */
    public static Loss categoricalCrossEntropy() {
        return new CategoricalCrossEntropy();
    }

    public static Loss meanSquaredError() {
        return new MeanSquaredError();
    }
}
