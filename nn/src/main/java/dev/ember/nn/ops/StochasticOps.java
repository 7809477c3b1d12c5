package dev.ember.nn.ops;

import dev.ember.core.Tensor;
import dev.ember.core.spi.Distribution;
import dev.ember.nn.autodiff.Recorder;

/** Inverted dropout: {@code y = x * mask}, the mask holding {@code 1/keep} for kept units and 0 for dropped ones. */
final class StochasticOps {
    private StochasticOps() {
    }

    static Tensor dropout(Tensor x, double keepProb, long seed, long stream) {
        checkKeep(keepProb);
        Tensor mask = Tensor.random(x.backend(), x.dtype(), Distribution.BERNOULLI, keepProb, 1.0 / keepProb,
                seed, stream, x.shape().dims());
        return masked(x, mask);
    }

    /** Multiplies by a caller-made mask (taking ownership of it): for masks drawn elsewhere, e.g. numpy-exact ones. */
    static Tensor masked(Tensor x, Tensor mask) {
        if (!mask.shape().equals(x.shape())) {
            mask.close();
            throw new IllegalArgumentException("dropout: mask has shape " + mask.shape() + " but input has " + x.shape());
        }
        Tensor y = x.mul(mask);
        return Recorder.record("dropout", y, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.mul(mask)}, mask);
    }

    static void checkKeep(double keepProb) {
        if (!(keepProb > 0 && keepProb <= 1)) {
            throw new IllegalArgumentException("dropout: keepProb must be in (0, 1], got " + keepProb);
        }
    }
}
