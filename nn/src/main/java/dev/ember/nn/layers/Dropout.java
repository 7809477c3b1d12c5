package dev.ember.nn.layers;

import dev.ember.core.LiveScalar;
import dev.ember.core.Shape;
import dev.ember.core.Tensor;
import dev.ember.core.Tracing;
import dev.ember.core.spi.Distribution;
import dev.ember.nn.ops.F;

/**
 * Inverted dropout: in training, keeps each unit with probability {@code keepProb} and scales kept
 * units by {@code 1/keepProb} so that nothing changes at inference, where the layer is the identity.
 * Every training forward pass draws a fresh mask: by default Philox stream {@code base + pass} of
 * the model's seed, where {@code pass} is the model's training-pass number ({@link TrainingClock}),
 * so masks follow from the seed and the step alone and a resumed run draws the same ones; the
 * stream is live, so a traced step draws a new mask at every replay too.
 */
public final class Dropout extends Layer {
    private final double keepProb;
    private MaskSource masks;
    private long seed;
    private long baseStream;
    private TrainingClock clock;
    private boolean ownClock;
    private final LiveScalar stream = LiveScalar.of(0L);

    /** @param keepProb probability of keeping a unit, in (0, 1] */
    public Dropout(double keepProb) {
        if (!(keepProb > 0 && keepProb <= 1)) {
            throw new IllegalArgumentException("dropout: keepProb must be in (0, 1], got " + keepProb);
        }
        this.keepProb = keepProb;
    }

    /**
     * Uses another mask source (e.g. numpy-exact masks) instead of the model-seeded Philox stream.
     * Such masks are made by Java code at every call, so a model using one trains eagerly.
     */
    public Dropout masks(MaskSource source) {
        this.masks = source;
        return this;
    }

    public double keepProb() {
        return keepProb;
    }

    @Override
    public boolean isTraceable() {
        return masks == null || keepProb == 1;
    }

    @Override
    protected String kind() {
        return "dropout";
    }

    @Override
    protected Shape doBuild(Shape input, BuildContext context) {
        this.seed = context.seed();
        this.baseStream = context.stream(0) << 32;
        this.clock = context.clock();
        this.ownClock = clock == null;   // built on its own: count this layer's passes
        if (ownClock) {
            clock = new TrainingClock();
        }
        return input;
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        requireBuilt(this);
        if (!training || keepProb == 1) {
            return x;
        }
        if (masks != null) {
            if (ownClock) {
                clock.tick();
            }
            return F.dropoutWithMask(x, masks.mask(x.backend(), x.dtype(), x.shape(), keepProb, clock.current()));
        }
        Tracing.everyCall(() -> {
            if (ownClock) {
                clock.tick();
            }
            stream.set(baseStream + clock.current());
        });
        Tensor mask = Tensor.random(x.backend(), x.dtype(), Distribution.BERNOULLI, keepProb, 1.0 / keepProb, seed,
                stream, x.shape().dims());
        return F.dropoutWithMask(x, mask);
    }
}
