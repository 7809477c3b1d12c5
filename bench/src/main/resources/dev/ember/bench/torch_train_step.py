"""PyTorch float32 training-step baseline for `ember bench mlp`.

The same two networks, batches and optimiser as Ember's benchmark and numpy_train_step.py, written
the way a PyTorch user writes them (eager mode):

  mlp    784 -> 256 -> 128 -> 10, ReLU hidden layers, CrossEntropyLoss on the logits, batch 128
  small  2 -> 5 -> 2 -> 1, ReLU hidden layers, BCEWithLogitsLoss, batch 64

One step is zero_grad, forward, loss, backward and Adam (lr 1e-3). Runs as a small server like the
numpy baselines: each stdin line `NETWORK REPS` is answered with one line holding the median
seconds of REPS timed steps (after a few warm-up steps). The first line printed, `ready: JSON`,
describes the baseline (baseline_env.py), including the BLAS torch's build names
(torch.__config__.show()) and the one actually loaded. The thread count is the first argument,
given to torch.set_num_threads.
"""
import sys

import baseline_env

try:
    import torch
except ImportError as e:  # reported to the caller, which then goes on without PyTorch
    print("unavailable: PyTorch is not installed for %s (%s)" % (sys.executable, e), flush=True)
    sys.exit(0)

NETWORKS = {
    "mlp": ([784, 256, 128, 10], 128, "softmax"),
    "small": ([2, 5, 2, 1], 64, "sigmoid"),
}


class Net:
    """nn.Sequential of Linear and ReLU (He-normal weights, zero biases) with its loss and Adam."""

    def __init__(self, sizes, batch, head, gen):
        layers = []
        for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            linear = torch.nn.Linear(fan_in, fan_out)
            torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
            if i < len(sizes) - 2:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.x = torch.randn(batch, sizes[0], generator=gen)
        if head == "softmax":
            self.loss = torch.nn.CrossEntropyLoss()
            self.y = torch.randint(0, sizes[-1], (batch,), generator=gen)
        else:
            self.loss = torch.nn.BCEWithLogitsLoss()
            self.y = (torch.rand(batch, 1, generator=gen) < 0.5).float()

    def step(self):
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.loss(self.model(self.x), self.y)
        loss.backward()
        self.optimizer.step()
        return loss


def main():
    torch.set_num_threads(int(sys.argv[1]))
    baseline_env.torch_ready(torch)
    gen = torch.Generator().manual_seed(42)
    baseline_env.serve_steps(lambda name: Net(*NETWORKS[name], gen))


if __name__ == "__main__":
    main()
