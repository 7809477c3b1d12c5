package dev.ember.nn.metrics;

import dev.ember.core.Tensor;

/** Fraction of predicted probabilities on the right side of the threshold (default 0.5). */
public record BinaryAccuracy(double threshold) implements Metric {
    public BinaryAccuracy() {
        this(0.5);
    }

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public Tensor batchTotal(Tensor outputs, Tensor labels) {
        try (Tensor thr = Tensor.full(outputs.backend(), outputs.dtype(), threshold);
             Tensor pred = outputs.greater(thr); Tensor diff = pred.sub(labels); Tensor wrong = diff.abs();
             Tensor wrongTotal = wrong.sum(); Tensor negative = wrongTotal.mul(-1.0 / outputs.dim(-1))) {
            // correct = examples - wrong, averaged over output columns
            return negative.add(outputs.size() / (double) outputs.dim(-1));
        }
    }
}
