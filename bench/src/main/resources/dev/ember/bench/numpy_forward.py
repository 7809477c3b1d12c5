"""numpy float32 forward-pass baseline for `ember bench serve`.

The inference Ember's serving benchmark times, written in plain numpy: the 784 -> 256 -> 128 -> 10
network (ReLU hidden layers, He-normal weights, zero biases) and a softmax over the logits, on a
fixed batch of N(0, 1) rows, returning a new array of probabilities per call. Bias and ReLU are
applied in place, as a careful numpy user would.

Runs as a small server like the other baselines (baseline_env.serve_steps): each stdin line
`BATCH REPS` is answered with one line holding the median seconds of REPS forward passes of a batch
of BATCH rows (after a few warm-up passes). The first line printed, `ready: JSON`, describes the
baseline (baseline_env.py). OpenBLAS's thread count comes from OPENBLAS_NUM_THREADS, which the caller
sets to Ember's.
"""
import sys

import baseline_env

try:
    import numpy as np
except ImportError as e:  # reported to the caller, which then measures Ember alone
    print("unavailable: numpy is not installed (" + str(e) + ")", flush=True)
    sys.exit(0)

SIZES = [784, 256, 128, 10]


class Forward:
    """One batch of rows and the network's weights; step() is one forward pass and softmax."""

    def __init__(self, batch, rng):
        f32 = np.float32
        self.params = []
        for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
            w = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(f32)
            self.params.append((w, np.zeros(fan_out, dtype=f32)))
        self.x = rng.standard_normal((batch, SIZES[0])).astype(f32)

    def step(self):
        a = self.x
        last = len(self.params) - 1
        for i, (w, b) in enumerate(self.params):
            z = a @ w
            z += b
            if i < last:
                np.maximum(z, 0, out=z)
            a = z
        a -= a.max(axis=1, keepdims=True)
        np.exp(a, out=a)
        a /= a.sum(axis=1, keepdims=True)
        return a


def main():
    baseline_env.numpy_ready(np)
    rng = np.random.default_rng(42)
    baseline_env.serve_steps(lambda batch: Forward(int(batch), rng))


if __name__ == "__main__":
    main()
