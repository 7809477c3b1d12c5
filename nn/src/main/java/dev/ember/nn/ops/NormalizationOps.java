package dev.ember.nn.ops;

import dev.ember.core.BatchNorm;
import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;

/** Training-mode batch normalisation through core's fused forward and backward kernels. */
final class NormalizationOps {
    private NormalizationOps() {
    }

    static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                            double eps, double momentum) {
        BatchNorm.Forward f = BatchNorm.training(x, gamma, beta, runningMean, runningVar, eps, momentum);
        return Recorder.record("batchNorm", f.y(), new Tensor[] {x, gamma, beta}, (g, needed) -> {
            BatchNorm.Gradients grads = BatchNorm.backward(x, g, gamma, f);
            Tensor[] r = {grads.dx(), grads.dgamma(), grads.dbeta()};
            for (int i = 0; i < 3; i++) {
                if (!needed[i]) {
                    r[i].close();
                    r[i] = null;
                }
            }
            return r;
        }, f.savedMean(), f.savedInvStd());
    }
}
