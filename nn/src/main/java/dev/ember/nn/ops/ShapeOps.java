package dev.ember.nn.ops;

import dev.ember.core.Tensor;
import dev.ember.nn.autodiff.Recorder;

/** Reshape and transpose: views forward, views backward. */
final class ShapeOps {
    private ShapeOps() {
    }

    static Tensor reshape(Tensor x, int... dims) {
        Tensor out = x.reshape(dims);
        int[] in = x.shape().dims();
        return Recorder.record("reshape", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.reshape(in)});
    }

    static Tensor transpose(Tensor x) {
        Tensor out = x.transpose();
        return Recorder.record("transpose", out, new Tensor[] {x}, (g, needed) -> new Tensor[] {g.transpose()});
    }
}
