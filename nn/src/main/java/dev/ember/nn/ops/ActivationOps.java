package dev.ember.nn.ops;

import dev.ember.core.Activations;
import dev.ember.core.Tensor;
import dev.ember.core.spi.Activation;
import dev.ember.nn.autodiff.Recorder;

/** Point-wise activations and (log-)softmax, with the backends' fused backward kernels. */
final class ActivationOps {
    private ActivationOps() {
    }

    static Tensor activation(Activation act, double alpha, Tensor x) {
        if (act == Activation.LEAKY_RELU && !(alpha >= 0 && alpha < 1)) {
            throw new IllegalArgumentException("leakyRelu: slope must be in [0, 1), got " + alpha);
        }
        Tensor y = Activations.forward(act, alpha, x);
        return Recorder.record(act.name().toLowerCase(java.util.Locale.ROOT), y, new Tensor[] {x},
                (g, needed) -> new Tensor[] {Activations.backward(act, alpha, x, y, g)});
    }

    static Tensor softmax(boolean log, Tensor x) {
        Tensor y = Activations.softmax(log, x);
        return Recorder.record(log ? "logSoftmax" : "softmax", y, new Tensor[] {x},
                (g, needed) -> new Tensor[] {Activations.softmaxBackward(log, y, g)});
    }
}
