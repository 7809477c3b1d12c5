package dev.ember.core;

import dev.ember.core.trace.Calls;

/**
 * Fused, in-place optimiser updates on contiguous parameter tensors (one kernel per parameter per
 * step). Formulas: {@link dev.ember.core.spi.Backend#sgdUpdate} and the methods after it. The
 * learning rate and Adam's step are also taken as {@link LiveScalar}s, which a traced step reads at
 * every replay; their values are checked when the call is made, eagerly or while tracing.
 */
public final class Updates {
    private Updates() {
    }

    public static void sgd(Tensor param, Tensor grad, double lr) {
        sgd(param, grad, LiveScalar.of(lr));
    }

    public static void sgd(Tensor param, Tensor grad, LiveScalar lr) {
        check("sgd", param, grad);
        positive("sgd", "learning rate", lr.value());
        Tracing.issue(param.backend(), new Calls.Sgd(param.span(), grad.span(), param.size(), lr));
    }

    public static void momentum(Tensor param, Tensor grad, Tensor velocity, double lr, double beta) {
        momentum(param, grad, velocity, LiveScalar.of(lr), beta);
    }

    public static void momentum(Tensor param, Tensor grad, Tensor velocity, LiveScalar lr, double beta) {
        check("momentum", param, grad, velocity);
        positive("momentum", "learning rate", lr.value());
        unitInterval("momentum", "beta", beta);
        Tracing.issue(param.backend(), new Calls.Momentum(param.span(), grad.span(), velocity.span(), param.size(),
                lr, beta));
    }

    public static void rmsprop(Tensor param, Tensor grad, Tensor meanSquare, double lr, double beta, double eps) {
        rmsprop(param, grad, meanSquare, LiveScalar.of(lr), beta, eps);
    }

    public static void rmsprop(Tensor param, Tensor grad, Tensor meanSquare, LiveScalar lr, double beta, double eps) {
        check("rmsprop", param, grad, meanSquare);
        positive("rmsprop", "learning rate", lr.value());
        unitInterval("rmsprop", "beta", beta);
        positive("rmsprop", "eps", eps);
        Tracing.issue(param.backend(), new Calls.RmsProp(param.span(), grad.span(), meanSquare.span(), param.size(),
                lr, beta, eps));
    }

    public static void adam(Tensor param, Tensor grad, Tensor m, Tensor v, double lr, double beta1, double beta2,
                            double eps, int step, double weightDecay) {
        adam(param, grad, m, v, LiveScalar.of(lr), beta1, beta2, eps, LiveScalar.of(step), weightDecay);
    }

    public static void adam(Tensor param, Tensor grad, Tensor m, Tensor v, LiveScalar lr, double beta1, double beta2,
                            double eps, LiveScalar step, double weightDecay) {
        check("adam", param, grad, m, v);
        positive("adam", "learning rate", lr.value());
        unitInterval("adam", "beta1", beta1);
        unitInterval("adam", "beta2", beta2);
        positive("adam", "eps", eps);
        if (step.longValue() < 1 || step.longValue() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("adam: step must be in [1, 2^31) (bias correction), got " + step);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("adam: weight decay must be >= 0, got " + weightDecay);
        }
        Tracing.issue(param.backend(), new Calls.Adam(param.span(), grad.span(), m.span(), v.span(), param.size(), lr,
                beta1, beta2, eps, step, weightDecay));
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
