package dev.ember.core;

/**
 * Batch normalisation over the rows of a {@code [batch, features]} tensor (see
 * {@link dev.ember.core.spi.Backend#batchNormTraining} for the exact formulas).
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /** Output of a training-mode forward pass and what its backward pass needs. */
    public record Forward(Tensor y, Tensor savedMean, Tensor savedInvStd) implements AutoCloseable {
        @Override
        public void close() {
            y.close();
            savedMean.close();
            savedInvStd.close();
        }
    }

    /** Gradients of a training-mode batch norm. */
    public record Gradients(Tensor dx, Tensor dgamma, Tensor dbeta) implements AutoCloseable {
        @Override
        public void close() {
            dx.close();
            dgamma.close();
            dbeta.close();
        }
    }

    /** Training mode: normalises with batch statistics and updates the running averages in place. */
    public static Forward training(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   double eps, double momentum) {
        String op = "batchNorm";
        checkParameters(op, x, gamma, beta, runningMean, runningVar, eps);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException(op + ": momentum must be in [0, 1), got " + momentum);
        }
        if (!runningMean.isContiguous() || !runningVar.isContiguous()) {
            throw new IllegalArgumentException(op + ": running statistics must be contiguous (they are updated in place)");
        }
        int rows = x.dim(0);
        int cols = x.dim(1);
        Tensor y = Tensor.zeros(x.backend(), x.dtype(), x.shape());
        Tensor mean = Tensor.zeros(x.backend(), x.dtype(), cols);
        Tensor invStd = Tensor.zeros(x.backend(), x.dtype(), cols);
        Dense.use(x, xd -> Dense.use(gamma, g -> Dense.use(beta, b ->
                x.ops().batchNormTraining(rows, cols, xd.span(), g.span(), b.span(), eps, momentum,
                        runningMean.span(), runningVar.span(), y.span(), mean.span(), invStd.span()))));
        return new Forward(y, mean, invStd);
    }

    /** Inference mode: normalises with the running statistics. */
    public static Tensor inference(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   double eps) {
        checkParameters("batchNormInference", x, gamma, beta, runningMean, runningVar, eps);
        Tensor y = Tensor.zeros(x.backend(), x.dtype(), x.shape());
        Dense.use(x, xd -> Dense.use(gamma, g -> Dense.use(beta, b -> Dense.use(runningMean, m ->
                Dense.use(runningVar, v -> x.ops().batchNormInference(x.dim(0), x.dim(1), xd.span(), g.span(),
                        b.span(), m.span(), v.span(), eps, y.span()))))));
        return y;
    }

    /** Gradients with respect to {@code x}, {@code gamma} and {@code beta}. */
    public static Gradients backward(Tensor x, Tensor dy, Tensor gamma, Forward forward) {
        String op = "batchNormBackward";
        Checks.sameBackendAndDtype(op, x, dy);
        Checks.sameShape(op, "dy", x, dy);
        Checks.rank(op, "x", x, 2);
        int rows = x.dim(0);
        int cols = x.dim(1);
        Tensor dx = Tensor.zeros(x.backend(), x.dtype(), x.shape());
        Tensor dgamma = Tensor.zeros(x.backend(), x.dtype(), cols);
        Tensor dbeta = Tensor.zeros(x.backend(), x.dtype(), cols);
        Dense.use(x, xd -> Dense.use(dy, dyd -> Dense.use(gamma, g ->
                x.ops().batchNormBackward(rows, cols, xd.span(), dyd.span(), g.span(),
                        forward.savedMean().span(), forward.savedInvStd().span(),
                        dx.span(), dgamma.span(), dbeta.span()))));
        return new Gradients(dx, dgamma, dbeta);
    }

    private static void checkParameters(String op, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean,
                                        Tensor runningVar, double eps) {
        Checks.rank(op, "x", x, 2);
        for (Tensor t : new Tensor[] {gamma, beta, runningMean, runningVar}) {
            Checks.sameBackendAndDtype(op, x, t);
            if (t.rank() != 1 || t.dim(0) != x.dim(1)) {
                throw new IllegalArgumentException(op + ": per-feature parameters must have shape [" + x.dim(1)
                        + "] for input " + x.shape() + ", got " + t.shape());
            }
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException(op + ": eps must be > 0, got " + eps);
        }
    }
}
