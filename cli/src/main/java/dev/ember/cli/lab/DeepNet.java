package dev.ember.cli.lab;

import dev.ember.nn.init.Initializer;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.BatchNorm;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.optim.GradientClipping;
import dev.ember.nn.optim.Momentum;
import dev.ember.nn.optim.Optimizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One configuration of the deep narrow network of {@code lab gradients}: 784 → {@value #HIDDEN}×{@value #UNITS}
 * → 10, every hidden Dense layer followed by {@code activation} (optionally with batch norm in between)
 * and an {@link ActivationProbe}; no skip connections. The Dense layers are named {@code dense01} …
 * {@code dense15}, so a gradient monitor's per-layer norms come in depth order.
 *
 * @param clipNorm the global gradient norm to clip to, or 0 for none
 */
record DeepNet(Activation.Kind activation, Init init, boolean batchNorm, double clipNorm, double learningRate) {
    static final int INPUTS = 784;
    static final int HIDDEN = 14;
    static final int UNITS = 64;
    static final int CLASSES = 10;
    /** Dense layers: the hidden ones and the output layer. */
    static final int DEPTH = HIDDEN + 1;
    static final double MOMENTUM = 0.9;
    /** The learning rate every variant trains at unless it names another. */
    static final double RATE = 0.05;
    /** Running-average momentum of batch norm: short runs need it short (as in the batchnorm experiment). */
    static final double BN_MOMENTUM = 0.9;

    /** The initialisations compared, each the same Philox draws for a given seed and layer, scaled differently. */
    enum Init {
        SMALL("small", "N(0,1)x0.01", Initializers.randomNormal(0.01)),
        NORMAL("normal", "N(0,1)", Initializers.randomNormal(1)),
        XAVIER("xavier", "Glorot normal, var 2/(fan_in+fan_out)", Initializers.glorotNormal()),
        HE("he", "He normal, var 2/fan_in", Initializers.heNormal());

        final String label;
        final String description;
        final Initializer initializer;

        Init(String label, String description, Initializer initializer) {
            this.label = label;
            this.description = description;
            this.initializer = initializer;
        }
    }

    /** {@code sigmoid-small}, {@code relu-normal+bn}, {@code relu-he+clip1 lr=1}. */
    String name() {
        String n = activation.name().toLowerCase(Locale.ROOT) + "-" + init.label;
        if (batchNorm) {
            n += "+bn";
        }
        if (clipNorm > 0) {
            n += "+clip" + BatchNormExperiment.rateText(clipNorm);
        }
        if (learningRate != RATE) {
            n += " lr=" + BatchNormExperiment.rateText(learningRate);
        }
        return n;
    }

    /** The same network without batch norm and clipping: what a remedy is compared with. */
    DeepNet baseline() {
        return new DeepNet(activation, init, false, 0, learningRate);
    }

    boolean isRemedy() {
        return batchNorm || clipNorm > 0;
    }

    /** Dense layer {@code l} (1-based)'s name, as the gradient monitor reports it. */
    static String dense(int l) {
        return String.format(Locale.ROOT, "dense%02d", l);
    }

    /** The layers, with a probe after each hidden activation added to {@code probes}. */
    List<Layer> layers(List<ActivationProbe> probes) {
        List<Layer> layers = new ArrayList<>();
        for (int l = 1; l <= HIDDEN; l++) {
            Dense d = (l == 1 ? new Dense(INPUTS, UNITS) : new Dense(UNITS)).kernelInitializer(stream(l));
            layers.add(batchNorm ? d.useBias(false).named(dense(l)) : d.named(dense(l)));
            if (batchNorm) {
                layers.add(new BatchNorm(BN_MOMENTUM, 1e-3).named(String.format(Locale.ROOT, "bn%02d", l)));
            }
            layers.add(function().named(String.format(Locale.ROOT, "%s%02d", activation.name().toLowerCase(Locale.ROOT), l)));
            ActivationProbe p = new ActivationProbe(activation);
            p.named(String.format(Locale.ROOT, "probe%02d", l));
            probes.add(p);
            layers.add(p);
        }
        layers.add(new Dense(CLASSES).kernelInitializer(stream(DEPTH)).named(dense(DEPTH)));   // logits
        return layers;
    }

    Optimizer optimizer() {
        Optimizer o = new Momentum(learningRate, MOMENTUM);
        return clipNorm > 0 ? o.clipping(GradientClipping.byGlobalNorm(clipNorm)) : o;
    }

    private Activation function() {
        return switch (activation) {
            case SIGMOID -> Activation.sigmoid();
            case TANH -> Activation.tanh();
            case RELU -> Activation.relu();
            default -> throw new IllegalArgumentException("gradients: unsupported activation " + activation);
        };
    }

    /**
     * The initialiser drawing from Philox stream {@code 16 * l} whatever the layer's position, so a
     * variant with batch norm (whose extra layers shift the positions) starts from the same weights as
     * the one without.
     */
    private Initializer stream(int l) {
        Initializer base = init.initializer;
        return (backend, dtype, shape, fanIn, fanOut, seed, stream) ->
                base.create(backend, dtype, shape, fanIn, fanOut, seed, 16L * l);
    }
}
