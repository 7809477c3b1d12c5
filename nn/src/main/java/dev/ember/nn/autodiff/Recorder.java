package dev.ember.nn.autodiff;

import dev.ember.core.Tensor;

import java.util.Deque;

/**
 * How a differentiable operation reports itself to the open tapes. The built-in ops in
 * {@link dev.ember.nn.ops.F} use it, and so can user code defining a custom op:
 * <pre>{@code
 * Tensor y = x.mul(2.0);                                   // forward with plain tensor ops
 * return Recorder.record("double", y, new Tensor[] {x},
 *         (g, needed) -> new Tensor[] {g.mul(2.0)});       // gradient per input
 * }</pre>
 * With no tape open this costs one thread-local lookup and returns {@code output} to the caller,
 * who owns it. With a tape open the innermost tape owns {@code output} and {@code saved}; the
 * operation is recorded on every open tape that tracks one of its inputs.
 */
public final class Recorder {
    private static final Tensor[] NONE = new Tensor[0];

    private Recorder() {
    }

    /** Records an operation without extra saved tensors. */
    public static Tensor record(String name, Tensor output, Tensor[] inputs, Backward backward) {
        return record(name, output, inputs, backward, NONE);
    }

    /**
     * Records an operation. {@code saved} are tensors the backward pass needs beyond the inputs and
     * the output (a dropout mask, batch statistics): they live as long as the tape, or are closed at
     * once when nothing is recorded.
     */
    public static Tensor record(String name, Tensor output, Tensor[] inputs, Backward backward, Tensor... saved) {
        Deque<GradientTape> tapes = GradientTape.active();
        if (tapes.isEmpty()) {
            closeAll(saved);
            return output;
        }
        GradientTape innermost = tapes.peek();
        innermost.own(output);
        boolean recorded = false;
        for (GradientTape tape : tapes) {
            if (tracksAny(tape, inputs)) {
                tape.add(name, output, inputs, backward);
                recorded = true;
            }
        }
        if (recorded) {
            for (Tensor s : saved) {
                innermost.own(s);
            }
        } else {
            closeAll(saved);
        }
        return output;
    }

    /** Whether an open tape would record an operation on {@code inputs} (so intermediates must stay alive). */
    public static boolean isRecording(Tensor... inputs) {
        for (GradientTape tape : GradientTape.active()) {
            if (tracksAny(tape, inputs)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tracksAny(GradientTape tape, Tensor[] inputs) {
        for (Tensor in : inputs) {
            if (tape.isTracked(in)) {
                return true;
            }
        }
        return false;
    }

    private static void closeAll(Tensor[] saved) {
        for (Tensor s : saved) {
            s.close();
        }
    }
}
