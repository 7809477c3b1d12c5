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

    /** Inference-mode batch norm with the running statistics: an affine map per feature. */
    static Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                     double eps) {
        Tensor y = BatchNorm.inference(x, gamma, beta, runningMean, runningVar, eps);
        return Recorder.record("batchNormInference", y, new Tensor[] {x, gamma, beta}, (g, needed) -> {
            Tensor[] r = new Tensor[3];
            try (Tensor v = runningVar.add(eps); Tensor inv = v.rsqrt()) {
                if (needed[0]) {
                    try (Tensor scale = gamma.mul(inv)) {
                        r[0] = g.mul(scale);
                    }
                }
                if (needed[1]) {
                    try (Tensor centred = x.sub(runningMean); Tensor xhat = centred.mul(inv); Tensor p = g.mul(xhat)) {
                        r[1] = p.sum(0);
                    }
                }
            }
            if (needed[2]) {
                r[2] = g.sum(0);
            }
            return r;
        });
    }
}
