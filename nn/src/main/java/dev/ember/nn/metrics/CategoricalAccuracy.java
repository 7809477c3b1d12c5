package dev.ember.nn.metrics;

import dev.ember.core.Tensor;

/** Fraction of rows whose arg-max matches the one-hot label's arg-max. */
public record CategoricalAccuracy() implements Metric {
    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public Tensor batchTotal(Tensor outputs, Tensor labels) {
        try (Tensor p = outputs.argmax(-1); Tensor l = labels.argmax(-1); Tensor d = p.sub(l); Tensor a = d.abs();
             Tensor c = a.clampMax(1); Tensor wrong = c.sum(); Tensor negative = wrong.neg()) {
            return negative.add(outputs.dim(0));
        }
    }
}
