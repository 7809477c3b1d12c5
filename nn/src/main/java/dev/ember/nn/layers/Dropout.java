package dev.ember.nn.layers;

import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.nn.ops.F;

/**
 * Inverted dropout: in training, keeps each unit with probability {@code keepProb} and scales kept
 * units by {@code 1/keepProb} so that nothing changes at inference, where the layer is the identity.
 * Every training forward pass draws a fresh mask.
 */
public final class Dropout extends Layer {
    private final double keepProb;
    private MaskSource masks;
    private long calls;

    /** @param keepProb probability of keeping a unit, in (0, 1] */
    public Dropout(double keepProb) {
        if (!(keepProb > 0 && keepProb <= 1)) {
            throw new IllegalArgumentException("dropout: keepProb must be in (0, 1], got " + keepProb);
        }
        this.keepProb = keepProb;
    }

    /** Uses another mask source (e.g. numpy-exact masks) instead of the model-seeded Philox stream. */
    public Dropout masks(MaskSource source) {
        this.masks = source;
        return this;
    }

    public double keepProb() {
        return keepProb;
    }

    @Override
    protected String kind() {
        return "dropout";
    }

    @Override
    protected Shape doBuild(Shape input, BuildContext context) {
        if (masks == null) {
            masks = MaskSource.philox(context.seed(), context.stream(0) << 32);
        }
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBuilt(this);
        if (!training || keepProb == 1) {
            return x;
        }
        Tensor mask = masks.mask(x.backend(), x.dtype(), x.shape(), keepProb, calls++);
        return F.dropoutWithMask(x, mask);
    }
}
