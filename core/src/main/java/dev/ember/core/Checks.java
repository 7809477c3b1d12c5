package dev.ember.core;

import dev.ember.core.spi.Backend;

/** Argument checks shared by the tensor operations; every message names the operation. */
final class Checks {
    private Checks() {
    }

    static void sameBackendAndDtype(String operation, Tensor a, Tensor b) {
        a.checkOpen(operation);
        b.checkOpen(operation);
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(operation + ": tensors live on different backends: "
                    + a.backend().name() + " " + a.shape() + " and " + b.backend().name() + " " + b.shape()
                    + " (copy one across with Tensor.to(backend))");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(operation + ": dtype mismatch: " + a.dtype() + " " + a.shape()
                    + " and " + b.dtype() + " " + b.shape() + " (convert one with Tensor.to(dtype))");
        }
    }

    static void sameShape(String operation, String what, Tensor expected, Tensor actual) {
        if (!expected.shape().equals(actual.shape())) {
            throw new IllegalArgumentException(operation + ": " + what + " has shape " + actual.shape()
                    + " but " + expected.shape() + " was expected");
        }
    }

    static void rank(String operation, String argument, Tensor t, int rank) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(operation + ": " + argument + " must have rank " + rank
                    + ", got shape " + t.shape());
        }
    }

    static void finite(String operation, String argument, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(operation + ": " + argument + " must be finite, got " + value);
        }
    }

    /**
     * {@code out} is open, contiguous, and either the very same elements as {@code input} or in
     * another buffer: kernels may write in place, but never into a buffer an input still reads
     * through another view (even a disjoint one is refused: the check is by buffer, not by range).
     */
    static void writableOutput(String operation, Tensor out, Tensor input) {
        out.checkOpen(operation);
        if (!out.isContiguous()) {
            throw new IllegalArgumentException(operation + ": output " + out.shape() + " must be contiguous");
        }
        if (out.sharesBuffer(input) && !out.sameElements(input)) {
            throw new IllegalArgumentException(operation + ": output " + out.shape() + " shares a buffer with input "
                    + input.shape() + " without being the same elements");
        }
    }

    static void onBackend(String operation, Tensor t, Backend backend) {
        t.checkOpen(operation);
        if (t.backend() != backend) {
            throw new IllegalArgumentException(operation + ": tensor " + t.shape() + " lives on backend "
                    + t.backend().name() + ", expected " + backend.name());
        }
    }
}
