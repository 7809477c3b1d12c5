package dev.ember.nn.ops;

import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;

/** Element-wise arithmetic with broadcasting; gradients are summed back over broadcast axes. */
final class ArithmeticOps {
    private ArithmeticOps() {
    }

    static Tensor add(Tensor a, Tensor b) {
        Tensor out = a.add(b);
        return Recorder.record("add", out, new Tensor[] {a, b}, (g, needed) -> new Tensor[] {
                needed[0] ? Broadcasting.reduceTo(g, a.shape()) : null,
                needed[1] ? Broadcasting.reduceTo(g, b.shape()) : null});
    }

    static Tensor sub(Tensor a, Tensor b) {
        Tensor out = a.sub(b);
        return Recorder.record("sub", out, new Tensor[] {a, b}, (g, needed) -> {
            Tensor db = null;
            if (needed[1]) {
                try (Tensor n = g.neg()) {
                    db = Broadcasting.reduceTo(n, b.shape());
                    if (db == n) {
                        db = n.reshape(n.shape().dims());
                    }
                }
            }
            return new Tensor[] {needed[0] ? Broadcasting.reduceTo(g, a.shape()) : null, db};
        });
    }

    static Tensor mul(Tensor a, Tensor b) {
        Tensor out = a.mul(b);
        return Recorder.record("mul", out, new Tensor[] {a, b}, (g, needed) -> new Tensor[] {
                needed[0] ? productReduced(g, b, a) : null,
                needed[1] ? productReduced(g, a, b) : null});
    }

    static Tensor div(Tensor a, Tensor b) {
        Tensor out = a.div(b);
        return Recorder.record("div", out, new Tensor[] {a, b}, (g, needed) -> {
            Tensor da = null;
            Tensor db = null;
            if (needed[0]) {
                try (Tensor q = g.div(b)) {
                    da = owned(Broadcasting.reduceTo(q, a.shape()), q);
                }
            }
            if (needed[1]) {
                // d(a/b)/db = -(a/b) / b = -out / b
                try (Tensor q = g.mul(out); Tensor r = q.div(b); Tensor n = r.neg()) {
                    db = owned(Broadcasting.reduceTo(n, b.shape()), n);
                }
            }
            return new Tensor[] {da, db};
        });
    }

    /** {@code reduceTo(g * other, self.shape)}. */
    private static Tensor productReduced(Tensor g, Tensor other, Tensor self) {
        try (Tensor p = g.mul(other)) {
            return owned(Broadcasting.reduceTo(p, self.shape()), p);
        }
    }

    /** When {@code reduced} is the temporary itself, returns a view so the try-with-resources close is harmless. */
    private static Tensor owned(Tensor reduced, Tensor temporary) {
        return reduced == temporary ? temporary.reshape(temporary.shape().dims()) : reduced;
    }

    static Tensor scale(Tensor x, double c) {
        Tensor out = x.mul(c);
        return Recorder.record("scale", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.mul(c)});
    }

    static Tensor addScalar(Tensor x, double c) {
        Tensor out = x.add(c);
        return Recorder.record("addScalar", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g});
    }

    static Tensor neg(Tensor x) {
        Tensor out = x.neg();
        return Recorder.record("neg", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.neg()});
    }

    static Tensor exp(Tensor x) {
        Tensor out = x.exp();
        return Recorder.record("exp", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.mul(out)});
    }

    static Tensor log(Tensor x) {
        Tensor out = x.log();
        return Recorder.record("log", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.div(x)});
    }

    static Tensor square(Tensor x) {
        Tensor out = x.square();
        return Recorder.record("square", out, new Tensor[] {x}, (g, needed) -> {
            try (Tensor t = g.mul(x)) {
                return new Tensor[] {t.mul(2.0)};
            }
        });
    }

    static Tensor sqrt(Tensor x) {
        Tensor out = x.sqrt();
        return Recorder.record("sqrt", out, new Tensor[] {x}, (g, needed) -> {
            try (Tensor t = g.div(out)) {
                return new Tensor[] {t.mul(0.5)};
            }
        });
    }
}
