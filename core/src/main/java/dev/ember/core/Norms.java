package dev.ember.core;

import dev.ember.core.spi.ReduceOp;

import java.util.List;

/**
 * The Euclidean norm, computed as BLAS {@code nrm2} does: every element is divided by the largest
 * magnitude before it is squared, so the sum of squares lies in {@code [1, n]} and neither overflows
 * (an F32 element above about 1.8e19 squares to infinity) nor underflows (one below about 1e-19
 * squares to zero). Composed from primitives, so every backend computes it the same way.
 */
final class Norms {
    private Norms() {
    }

    /** The norm of all elements of all {@code tensors} together (same backend and dtype), as a scalar tensor. */
    static Tensor of(String operation, List<Tensor> tensors) {
        if (tensors == null || tensors.isEmpty() || tensors.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException(operation + ": needs at least one tensor and no null, got " + tensors);
        }
        Tensor first = tensors.getFirst();
        for (Tensor t : tensors) {
            Checks.sameBackendAndDtype(operation, first, t);
        }
        boolean f32 = first.dtype() == DType.F32;
        try (Scope scope = Scope.open()) {   // the temporaries; the norm is kept for the caller
            Tensor largest = null;
            for (Tensor t : tensors) {
                Tensor m = Reductions.all(operation, ReduceOp.MAX, t.abs());
                largest = largest == null ? m : largest.maximum(m);
            }
            // kept finite and normal: all zeros divide to 0, and an infinite element still gives an infinite norm
            Tensor scale = largest.clampMin(f32 ? Float.MIN_NORMAL : Double.MIN_NORMAL)
                    .clampMax(f32 ? Float.MAX_VALUE : Double.MAX_VALUE);
            Tensor sum = null;
            for (Tensor t : tensors) {
                Tensor s = t.div(scale).sumOfSquares();
                sum = sum == null ? s : sum.add(s);
            }
            return scope.keep(sum.sqrt().mul(scale));
        }
    }
}
