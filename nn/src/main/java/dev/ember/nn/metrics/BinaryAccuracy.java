package dev.ember.nn.metrics;

import dev.ember.core.Tensor;

/** Fraction of outputs on the right side of the threshold (0.5 on probabilities, 0 on logits). */
public record BinaryAccuracy(double threshold) implements Metric {
    public BinaryAccuracy() {
        this(0.5);
    }

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public Tensor batchTotal(Tensor outputs, Tensor labels, boolean logits) {
        double t = logits ? Math.log(threshold / (1 - threshold)) : threshold;
        try (Tensor thr = Tensor.full(outputs.backend(), outputs.dtype(), t);
             Tensor pred = outputs.greater(thr); Tensor diff = pred.sub(labels); Tensor wrong = diff.abs();
             Tensor wrongTotal = wrong.sum(); Tensor negative = wrongTotal.mul(-1.0 / outputs.dim(-1))) {
            // correct = examples - wrong, averaged over output columns
            return negative.add(outputs.size() / (double) outputs.dim(-1));
        }
    }
}
