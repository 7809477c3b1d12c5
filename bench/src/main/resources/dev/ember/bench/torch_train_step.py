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
import re
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


def config_blas():
    """The BLAS_INFO entry of torch.__config__.show(): what the build was configured with."""
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    return found.group(1) if found else "?"


def main():
    threads = int(sys.argv[1])
    torch.set_num_threads(threads)
    # warm torch's BLAS up once so the library it dispatches to is mapped before it is reported
    torch.ones(64, 64) @ torch.ones(64, 64)
    libs = baseline_env.loaded_blas()
    summary = "PyTorch %s (build BLAS_INFO=%s), %d threads: %s" % (
        torch.__version__, config_blas(), torch.get_num_threads(), baseline_env.blas_summary(libs))
    baseline_env.ready(summary, torch_version=torch.__version__, torch_threads=torch.get_num_threads(),
                       torch_blas_info=config_blas(), torch_config=torch.__config__.show(),
                       torch_parallel_info=torch.__config__.parallel_info())
    gen = torch.Generator().manual_seed(42)
    baseline_env.serve_train_steps(lambda name: Net(*NETWORKS[name], gen))


if __name__ == "__main__":
    main()
