package dev.ember.cpu.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

import static dev.ember.cpu.kernels.Simd.D;
import static dev.ember.cpu.kernels.Simd.DL;
import static dev.ember.cpu.kernels.Simd.F;
import static dev.ember.cpu.kernels.Simd.FL;
import static dev.ember.cpu.kernels.Simd.GRAIN;
import static dev.ember.cpu.kernels.Simd.load;
import static jdk.incubator.vector.VectorOperators.SQRT;

/**
 * Fused, in-place optimiser updates: one pass reads the gradient and state and writes parameter
 * and state back. Step-dependent constants (Adam's bias corrections) are computed once per call in
 * double; F32 kernels then use them rounded to float.
 */
public final class OptimizerKernels {
    private final Parallel parallel;

    public OptimizerKernels(Parallel parallel) {
        this.parallel = parallel;
    }

    /**
     * Adam's per-call constants: {@code lr / (1 - beta1^t)} and {@code 1 / (1 - beta2^t)}, with the
     * inputs they came from. A model's variables all take the same step in turn, so the last one is
     * kept and reused (two {@code Math.pow} per variable were a visible share of a small network's step).
     */
    private record AdamStep(double lr, double beta1, double beta2, int step, double weightDecay,
                            double lrOverBias1, double invBias2, double decay) {
        static AdamStep of(double lr, double beta1, double beta2, int step, double weightDecay) {
            return new AdamStep(lr, beta1, beta2, step, weightDecay, lr / (1 - Math.pow(beta1, step)),
                    1 / (1 - Math.pow(beta2, step)), lr * weightDecay);
        }

        boolean isFor(double lr, double beta1, double beta2, int step, double weightDecay) {
            return this.step == step && this.lr == lr && this.beta1 == beta1 && this.beta2 == beta2
                    && this.weightDecay == weightDecay;
        }
    }

    /** The constants of the last Adam call, or null (immutable; racing threads at worst compute their own). */
    private volatile AdamStep lastAdamStep;

    private AdamStep adamStep(double lr, double beta1, double beta2, int step, double weightDecay) {
        AdamStep last = lastAdamStep;
        if (last != null && last.isFor(lr, beta1, beta2, step, weightDecay)) {
            return last;
        }
        AdamStep c = AdamStep.of(lr, beta1, beta2, step, weightDecay);
        lastAdamStep = c;
        return c;
    }

    // ================================================================ F32

    /** {@code p -= lr * g}. */
    public void sgd(float[] p, int pOff, float[] g, int gOff, int length, float lr) {
        parallel.launch(length, GRAIN, SGD_F32, parallel.args().put(p).put(pOff).put(g).put(gOff).put(lr));
    }

    /** {@code v = beta * v + (1 - beta) * g; p -= lr * v}. */
    public void momentum(float[] p, int pOff, float[] g, int gOff, float[] v, int vOff, int length, float lr,
                         float beta) {
        float keep = 1 - beta;
        parallel.launch(length, GRAIN, MOMENTUM_F32, parallel.args().put(p).put(pOff).put(g).put(gOff)
                .put(v).put(vOff).put(lr).put(beta).put(keep));
    }

    /** {@code s = beta * s + (1 - beta) * g^2; p -= lr * g / (sqrt(s) + eps)}. */
    public void rmsprop(float[] p, int pOff, float[] g, int gOff, float[] s, int sOff, int length, float lr,
                        float beta, float eps) {
        float keep = 1 - beta;
        parallel.launch(length, GRAIN, RMSPROP_F32, parallel.args().put(p).put(pOff).put(g).put(gOff)
                .put(s).put(sOff).put(lr).put(beta).put(keep).put(eps));
    }

    /**
     * Adam(W): {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
     * p -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps) + lr * weightDecay * p}.
     */
    public void adam(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int length,
                     double lr, double beta1, double beta2, double eps, int step, double weightDecay) {
        AdamStep c = adamStep(lr, beta1, beta2, step, weightDecay);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float keep1 = (float) (1 - beta1);
        float keep2 = (float) (1 - beta2);
        float lrOverBias1 = (float) c.lrOverBias1();
        float invBias2 = (float) c.invBias2();
        float decay = (float) c.decay();
        float epsilon = (float) eps;
        parallel.launch(length, GRAIN, ADAM_F32, parallel.args().put(p).put(pOff).put(g).put(gOff)
                .put(m).put(mOff).put(v).put(vOff).put(b1).put(b2).put(keep1).put(keep2)
                .put(lrOverBias1).put(invBias2).put(decay).put(epsilon));
    }

    /** Indices {@code [from, to)}: (p, pOff, g, gOff, lr). */
    private static final Kernel SGD_F32 = (a, from, to) -> {
        float[] p = a.ref(0), g = a.ref(2);
        int pOff = a.i(1), gOff = a.i(3);
        float lr = a.f(4);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += FL) {
            load(p, pOff + i).sub(load(g, gOff + i).mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            p[pOff + i] -= lr * g[gOff + i];
        }
    };

    /** Indices {@code [from, to)}: (p, pOff, g, gOff, v, vOff, lr, beta, keep = 1 - beta). */
    private static final Kernel MOMENTUM_F32 = (a, from, to) -> {
        float[] p = a.ref(0), g = a.ref(2), v = a.ref(4);
        int pOff = a.i(1), gOff = a.i(3), vOff = a.i(5);
        float lr = a.f(6), beta = a.f(7), keep = a.f(8);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector vel = load(v, vOff + i).mul(beta).add(load(g, gOff + i).mul(keep));
            vel.intoArray(v, vOff + i);
            load(p, pOff + i).sub(vel.mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float vel = beta * v[vOff + i] + keep * g[gOff + i];
            v[vOff + i] = vel;
            p[pOff + i] -= lr * vel;
        }
    };

    /** Indices {@code [from, to)}: (p, pOff, g, gOff, s, sOff, lr, beta, keep = 1 - beta, eps). */
    private static final Kernel RMSPROP_F32 = (a, from, to) -> {
        float[] p = a.ref(0), g = a.ref(2), s = a.ref(4);
        int pOff = a.i(1), gOff = a.i(3), sOff = a.i(5);
        float lr = a.f(6), beta = a.f(7), keep = a.f(8), eps = a.f(9);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector grad = load(g, gOff + i);
            FloatVector ms = load(s, sOff + i).mul(beta).add(grad.mul(grad).mul(keep));
            ms.intoArray(s, sOff + i);
            load(p, pOff + i).sub(grad.mul(lr).div(ms.lanewise(SQRT).add(eps))).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float grad = g[gOff + i];
            float ms = beta * s[sOff + i] + keep * (grad * grad);
            s[sOff + i] = ms;
            p[pOff + i] -= lr * grad / ((float) Math.sqrt(ms) + eps);
        }
    };

    /**
     * Indices {@code [from, to)}: (p, pOff, g, gOff, m, mOff, v, vOff, b1, b2, keep1, keep2, lrOverBias1,
     * invBias2, decay, epsilon), the constants already rounded to float.
     */
    private static final Kernel ADAM_F32 = (a, from, to) -> {
        float[] p = a.ref(0), g = a.ref(2), m = a.ref(4), v = a.ref(6);
        int pOff = a.i(1), gOff = a.i(3), mOff = a.i(5), vOff = a.i(7);
        float b1 = a.f(8), b2 = a.f(9), keep1 = a.f(10), keep2 = a.f(11);
        float lrOverBias1 = a.f(12), invBias2 = a.f(13), decay = a.f(14), epsilon = a.f(15);
        int i = from;
        for (int bound = from + F.loopBound(to - from); i < bound; i += FL) {
            FloatVector grad = load(g, gOff + i);
            FloatVector m1 = load(m, mOff + i).mul(b1).add(grad.mul(keep1));
            FloatVector m2 = load(v, vOff + i).mul(b2).add(grad.mul(grad).mul(keep2));
            m1.intoArray(m, mOff + i);
            m2.intoArray(v, vOff + i);
            FloatVector param = load(p, pOff + i);
            FloatVector update = m1.mul(lrOverBias1).div(m2.mul(invBias2).lanewise(SQRT).add(epsilon));
            param.sub(update).sub(param.mul(decay)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            float grad = g[gOff + i];
            float m1 = b1 * m[mOff + i] + keep1 * grad;
            float m2 = b2 * v[vOff + i] + keep2 * (grad * grad);
            m[mOff + i] = m1;
            v[vOff + i] = m2;
            float param = p[pOff + i];
            p[pOff + i] = param - lrOverBias1 * m1 / ((float) Math.sqrt(m2 * invBias2) + epsilon) - decay * param;
        }
    };

    // ================================================================ F64

    public void sgd(double[] p, int pOff, double[] g, int gOff, int length, double lr) {
        parallel.launch(length, GRAIN, SGD_F64, parallel.args().put(p).put(pOff).put(g).put(gOff).put(lr));
    }

    public void momentum(double[] p, int pOff, double[] g, int gOff, double[] v, int vOff, int length, double lr,
                         double beta) {
        double keep = 1 - beta;
        parallel.launch(length, GRAIN, MOMENTUM_F64, parallel.args().put(p).put(pOff).put(g).put(gOff)
                .put(v).put(vOff).put(lr).put(beta).put(keep));
    }

    public void rmsprop(double[] p, int pOff, double[] g, int gOff, double[] s, int sOff, int length, double lr,
                        double beta, double eps) {
        double keep = 1 - beta;
        parallel.launch(length, GRAIN, RMSPROP_F64, parallel.args().put(p).put(pOff).put(g).put(gOff)
                .put(s).put(sOff).put(lr).put(beta).put(keep).put(eps));
    }

    public void adam(double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v, int vOff,
                     int length, double lr, double beta1, double beta2, double eps, int step, double weightDecay) {
        AdamStep c = adamStep(lr, beta1, beta2, step, weightDecay);
        double keep1 = 1 - beta1;
        double keep2 = 1 - beta2;
        double lrOverBias1 = c.lrOverBias1();
        double invBias2 = c.invBias2();
        double decay = c.decay();
        parallel.launch(length, GRAIN, ADAM_F64, parallel.args().put(p).put(pOff).put(g).put(gOff)
                .put(m).put(mOff).put(v).put(vOff).put(beta1).put(beta2).put(keep1).put(keep2)
                .put(lrOverBias1).put(invBias2).put(decay).put(eps));
    }

    /** Indices {@code [from, to)}: (p, pOff, g, gOff, lr). */
    private static final Kernel SGD_F64 = (a, from, to) -> {
        double[] p = a.ref(0), g = a.ref(2);
        int pOff = a.i(1), gOff = a.i(3);
        double lr = a.d(4);
        int i = from;
        for (int bound = from + D.loopBound(to - from); i < bound; i += DL) {
            load(p, pOff + i).sub(load(g, gOff + i).mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            p[pOff + i] -= lr * g[gOff + i];
        }
    };

    /** Indices {@code [from, to)}: (p, pOff, g, gOff, v, vOff, lr, beta, keep = 1 - beta). */
    private static final Kernel MOMENTUM_F64 = (a, from, to) -> {
        double[] p = a.ref(0), g = a.ref(2), v = a.ref(4);
        int pOff = a.i(1), gOff = a.i(3), vOff = a.i(5);
        double lr = a.d(6), beta = a.d(7), keep = a.d(8);
        int i = from;
        for (int bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector vel = load(v, vOff + i).mul(beta).add(load(g, gOff + i).mul(keep));
            vel.intoArray(v, vOff + i);
            load(p, pOff + i).sub(vel.mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            double vel = beta * v[vOff + i] + keep * g[gOff + i];
            v[vOff + i] = vel;
            p[pOff + i] -= lr * vel;
        }
    };

    /** Indices {@code [from, to)}: (p, pOff, g, gOff, s, sOff, lr, beta, keep = 1 - beta, eps). */
    private static final Kernel RMSPROP_F64 = (a, from, to) -> {
        double[] p = a.ref(0), g = a.ref(2), s = a.ref(4);
        int pOff = a.i(1), gOff = a.i(3), sOff = a.i(5);
        double lr = a.d(6), beta = a.d(7), keep = a.d(8), eps = a.d(9);
        int i = from;
        for (int bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector grad = load(g, gOff + i);
            DoubleVector ms = load(s, sOff + i).mul(beta).add(grad.mul(grad).mul(keep));
            ms.intoArray(s, sOff + i);
            load(p, pOff + i).sub(grad.mul(lr).div(ms.lanewise(SQRT).add(eps))).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            double grad = g[gOff + i];
            double ms = beta * s[sOff + i] + keep * (grad * grad);
            s[sOff + i] = ms;
            p[pOff + i] -= lr * grad / (Math.sqrt(ms) + eps);
        }
    };

    /**
     * Indices {@code [from, to)}: (p, pOff, g, gOff, m, mOff, v, vOff, beta1, beta2, keep1, keep2, lrOverBias1,
     * invBias2, decay, eps).
     */
    private static final Kernel ADAM_F64 = (a, from, to) -> {
        double[] p = a.ref(0), g = a.ref(2), m = a.ref(4), v = a.ref(6);
        int pOff = a.i(1), gOff = a.i(3), mOff = a.i(5), vOff = a.i(7);
        double beta1 = a.d(8), beta2 = a.d(9), keep1 = a.d(10), keep2 = a.d(11);
        double lrOverBias1 = a.d(12), invBias2 = a.d(13), decay = a.d(14), eps = a.d(15);
        int i = from;
        for (int bound = from + D.loopBound(to - from); i < bound; i += DL) {
            DoubleVector grad = load(g, gOff + i);
            DoubleVector m1 = load(m, mOff + i).mul(beta1).add(grad.mul(keep1));
            DoubleVector m2 = load(v, vOff + i).mul(beta2).add(grad.mul(grad).mul(keep2));
            m1.intoArray(m, mOff + i);
            m2.intoArray(v, vOff + i);
            DoubleVector param = load(p, pOff + i);
            DoubleVector update = m1.mul(lrOverBias1).div(m2.mul(invBias2).lanewise(SQRT).add(eps));
            param.sub(update).sub(param.mul(decay)).intoArray(p, pOff + i);
        }
        for (; i < to; i++) {
            double grad = g[gOff + i];
            double m1 = beta1 * m[mOff + i] + keep1 * grad;
            double m2 = beta2 * v[vOff + i] + keep2 * (grad * grad);
            m[mOff + i] = m1;
            v[vOff + i] = m2;
            double param = p[pOff + i];
            p[pOff + i] = param - lrOverBias1 * m1 / (Math.sqrt(m2 * invBias2) + eps) - decay * param;
        }
    };
}
