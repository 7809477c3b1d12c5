package dev.ember.bench;

import dev.ember.core.DType;
import dev.ember.core.spi.Backend;
import dev.ember.nn.init.Initializers;
import dev.ember.nn.layers.Activation;
import dev.ember.nn.layers.Dense;
import dev.ember.nn.layers.Layer;
import dev.ember.nn.losses.Losses;
import dev.ember.nn.model.Sequential;
import dev.ember.nn.optim.Adam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The two networks of the training-step benchmark, identical to those of {@code numpy_train_step.py}:
 * ReLU hidden layers, Adam (lr 1e-3), F32.
 */
public enum TrainNetwork {
    /** 784→256→128→10 with softmax cross-entropy at batch 128 (≈ 130 MFLOP per step). */
    MLP("mlp", "mlp-784-256-128-10", new int[] {784, 256, 128, 10}, 128),
    /** 2→5→2→1 with sigmoid + binary cross-entropy at batch 64 (call overhead dominates). */
    SMALL("small", "mlp-2-5-2-1", new int[] {2, 5, 2, 1}, 64);

    private final String key;
    private final String model;
    private final int[] sizes;
    private final int batch;

    TrainNetwork(String key, String model, int[] sizes, int batch) {
        this.key = key;
        this.model = model;
        this.sizes = sizes;
        this.batch = batch;
    }

    /** The short name: {@code mlp} or {@code small} (also what the numpy script takes). */
    public String key() {
        return key;
    }

    /** The descriptive name, e.g. {@code mlp-784-256-128-10}. */
    public String model() {
        return model;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int batch() {
        return batch;
    }

    /** Multiply-adds of one step: forward, and backward without the input gradient of the first layer. */
    public double flops() {
        double f = 0;
        for (int i = 0; i + 1 < sizes.length; i++) {
            double mn = (double) batch * sizes[i] * sizes[i + 1];
            f += 2 * mn * (i == 0 ? 2 : 3);
        }
        return f;
    }

    /**
     * The network as a user writes it, on {@code backend}: Dense layers (the hidden ones with a
     * fused ReLU) with He-normal kernels, F32, seed 42, compiled with Adam (lr 1e-3) and the loss
     * on the last layer's logits (categorical cross-entropy for {@link #MLP}, so its predictions are
     * softmax probabilities; binary cross-entropy for {@link #SMALL}). Built lazily, or by the caller.
     */
    public Sequential newModel(Backend backend) {
        List<Layer> layers = new ArrayList<>();
        for (int i = 1; i < sizes.length; i++) {
            Dense d = i == 1 ? new Dense(sizes[0], sizes[1]) : new Dense(sizes[i]);
            if (i + 1 < sizes.length) {
                d.activation(Activation.relu());   // hidden layers: bias and ReLU in one fused pass
            }
            layers.add(d.kernelInitializer(Initializers.heNormal()));
        }
        Sequential model = new Sequential(layers);
        model.backend(backend).dtype(DType.F32).seed(42);
        model.compile(new Adam(1e-3), softmax() ? Losses.categoricalCrossEntropy() : Losses.binaryCrossEntropy());
        return model;
    }

    /** Whether the last layer's logits go through a softmax (else a sigmoid). */
    public boolean softmax() {
        return this == MLP;
    }

    /** By short or descriptive name, case-insensitively. */
    public static TrainNetwork parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (TrainNetwork n : values()) {
            if (n.key.equals(t) || n.model.equals(t)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown network '" + text + "' (mlp, small)");
    }
}
