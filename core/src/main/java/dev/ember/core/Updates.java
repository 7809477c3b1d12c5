package dev.ember.core;

/**
 * Fused, in-place optimiser updates on contiguous parameter tensors (one kernel per parameter per
 * step). Formulas: {@link dev.ember.core.spi.Backend#sgdUpdate} and the methods after it.
 */
public final class Updates {
    private Updates() {
    }

    public static void sgd(Tensor param, Tensor grad, double lr) {
        check("sgd", param, grad);
        positive("sgd", "learning rate", lr);
        param.backend().sgdUpdate(param.span(), grad.span(), param.size(), lr);
    }

    public static void momentum(Tensor param, Tensor grad, Tensor velocity, double lr, double beta) {
        check("momentum", param, grad, velocity);
        positive("momentum", "learning rate", lr);
        unitInterval("momentum", "beta", beta);
        param.backend().momentumUpdate(param.span(), grad.span(), velocity.span(), param.size(), lr, beta);
    }

    public static void rmsprop(Tensor param, Tensor grad, Tensor meanSquare, double lr, double beta, double eps) {
        check("rmsprop", param, grad, meanSquare);
        positive("rmsprop", "learning rate", lr);
        unitInterval("rmsprop", "beta", beta);
        positive("rmsprop", "eps", eps);
        param.backend().rmspropUpdate(param.span(), grad.span(), meanSquare.span(), param.size(), lr, beta, eps);
    }

    public static void adam(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                            double eps, int step, double weightDecay) {
        check("adam", param, grad, m, v);
        positive("adam", "learning rate", lr);
        unitInterval("adam", "beta1", beta1);
        unitInterval("adam", "beta2", beta2);
        positive("adam", "eps", eps);
        if (step < 1) {
            throw new IllegalArgumentException("adam: step must be >= 1 (bias correction), got " + step);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("adam: weight decay must be >= 0, got " + weightDecay);
        }
        param.backend().adamUpdate(param.span(), grad.span(), m.span(), v.span(), param.size(), lr, beta1, beta2,
                eps, step, weightDecay);
    }

    private static void check(String op, Tensor param, Tensor... others) {
        param.checkOpen(op);
        if (!param.isContiguous()) {
            throw new IllegalArgumentException(op + ": parameter " + param.shape() + " must be contiguous");
        }
        for (Tensor t : others) {
            Checks.sameBackendAndDtype(op, param, t);
            Checks.sameShape(op, "state or gradient", param, t);
            if (!t.isContiguous()) {
                throw new IllegalArgumentException(op + ": tensor " + t.shape() + " must be contiguous");
            }
        }
    }

    private static void positive(String op, String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + " must be > 0, got " + value);
        }
    }

    private static void unitInterval(String op, String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(op + ": " + name + " must be in [0, 1), got " + value);
        }
    }
}
