"""numpy float32 training-step baseline for `ember bench train`.

A straightforward numpy implementation of one training step (forward, backward, Adam update) of
the two networks Ember's benchmark trains:

  mlp    784 -> 256 -> 128 -> 10, ReLU hidden layers, softmax cross-entropy, batch 128
  small  2 -> 5 -> 2 -> 1, ReLU hidden layers, sigmoid + binary cross-entropy, batch 64

Runs as a small server so Ember can interleave its own runs with these in one invocation: each
stdin line `NETWORK REPS` (NETWORK mlp|small) is answered with one line holding the median seconds
of REPS timed steps (after a few warm-up steps). The first line printed,
`ready: JSON`, describes the baseline (baseline_env.py).
OpenBLAS's thread count comes from OPENBLAS_NUM_THREADS, which the caller sets to Ember's.
"""
import sys

import baseline_env

try:
    import numpy as np
except ImportError as e:  # reported to the caller, which then measures Ember alone
    print("unavailable: numpy is not installed (" + str(e) + ")", flush=True)
    sys.exit(0)

NETWORKS = {
    "mlp": ([784, 256, 128, 10], 128, "softmax"),
    "small": ([2, 5, 2, 1], 64, "sigmoid"),
}



class Net:
    """Dense layers with ReLU between them, trained with Adam (lr 1e-3, b1 0.9, b2 0.999, eps 1e-8)."""

    def __init__(self, sizes, batch, head, rng):
        f32 = np.float32
        self.head = head
        self.params = []
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            w = (rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in)).astype(f32)
            b = np.zeros(fan_out, dtype=f32)
            self.params += [w, b]
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0
        self.lr, self.b1, self.b2, self.eps = f32(1e-3), f32(0.9), f32(0.999), f32(1e-8)
        self.x = rng.standard_normal((batch, sizes[0])).astype(f32)
        if head == "softmax":
            labels = rng.integers(0, sizes[-1], batch)
            self.y = np.eye(sizes[-1], dtype=f32)[labels]
        else:
            self.y = (rng.uniform(size=(batch, 1)) < 0.5).astype(f32)

    def step(self):
        x, y = self.x, self.y
        n = x.shape[0]
        layers = len(self.params) // 2
        # forward: keep each layer's input and pre-activation
        inputs, pre = [], []
        a = x
        for i in range(layers):
            w, b = self.params[2 * i], self.params[2 * i + 1]
            inputs.append(a)
            z = a @ w + b
            pre.append(z)
            a = np.maximum(z, 0) if i < layers - 1 else z
        z = a
        # loss and its gradient with respect to the logits
        if self.head == "softmax":
            shifted = z - z.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            s = e.sum(axis=1, keepdims=True)
            log_p = shifted - np.log(s)
            loss = -(y * log_p).sum() / n
            dz = (e / s - y) / n
        else:
            loss = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
            p = 1 / (1 + np.exp(-z))
            dz = (p - y) / z.size
        # backward
        grads = [None] * len(self.params)
        for i in reversed(range(layers)):
            grads[2 * i] = inputs[i].T @ dz
            grads[2 * i + 1] = dz.sum(axis=0)
            if i > 0:
                da = dz @ self.params[2 * i].T
                dz = da * (pre[i - 1] > 0)
        # Adam with bias correction
        self.t += 1
        c1 = 1 - self.b1 ** self.t
        c2 = 1 - self.b2 ** self.t
        for k, g in enumerate(grads):
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * g
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * g * g
            m_hat = self.m[k] / c1
            v_hat = self.v[k] / c2
            self.params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
        return loss


def main():
    baseline_env.numpy_ready(np)
    rng = np.random.default_rng(42)
    baseline_env.serve_steps(lambda name: Net(*NETWORKS[name], rng))


if __name__ == "__main__":
    main()
