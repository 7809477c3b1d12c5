package dev.ember.core;

import dev.ember.core.spi.Expression;

/**
 * Fused element-wise computation: an {@link Expression} evaluated over tensors in one backend call
 * ({@link dev.ember.core.spi.Backend#evaluate}), instead of one call and one temporary tensor per
 * operation. Inputs broadcast together as numpy's do (rank {@code <=} 2, or equal shapes of any rank);
 * each node is rounded to the dtype as the eager operation rounds it (see
 * {@link dev.ember.core.spi.Backend#evaluate} for what is bit for bit). An output may be exactly
 * one of the inputs (in place); any other sharing of a buffer between an output and an input, or
 * between two outputs, is rejected before anything runs.
 */
public final class Expressions {
    private static final String OP = "evaluate";

    private Expressions() {
    }

    /** Evaluates {@code e} and returns one new tensor per output, of the inputs' broadcast shape. */
    public static Tensor[] evaluate(Expression e, Tensor... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException(OP + ": needs at least one input tensor (it sets the backend, dtype"
                    + " and shape); use evaluateInto for an expression without inputs");
        }
        Elementwise.checkInputCount(OP, e, inputs.length);   // before the outputs are allocated
        for (Tensor t : inputs) {
            t.checkOpen(OP);
        }
        Shape shape = inputs[0].shape();
        for (Tensor t : inputs) {
            Checks.sameBackendAndDtype(OP, inputs[0], t);
            shape = Elementwise.broadcast(OP, shape, t.shape());
        }
        Tensor[] outputs = new Tensor[e.outputs()];
        try {
            for (int k = 0; k < outputs.length; k++) {
                outputs[k] = Tensor.zeros(inputs[0].backend(), inputs[0].dtype(), shape);
            }
            Elementwise.expressionInto(OP, e, outputs, inputs);
            return outputs;
        } catch (RuntimeException | Error failure) {
            for (Tensor t : outputs) {
                if (t != null) {
                    t.close();
                }
            }
            throw failure;
        }
    }

    /**
     * Evaluates {@code e} into existing contiguous {@code outputs}, to whose shape the inputs broadcast;
     * an output may be one of the inputs (updated in place).
     */
    public static void evaluateInto(Expression e, Tensor[] outputs, Tensor... inputs) {
        if (outputs.length == 0) {
            throw new IllegalArgumentException(OP + ": needs at least one output tensor");
        }
        for (Tensor t : outputs) {
            t.checkOpen(OP);
        }
        for (Tensor t : inputs) {
            t.checkOpen(OP);
        }
        Elementwise.expressionInto(OP + "Into", e, outputs, inputs);
    }
}
