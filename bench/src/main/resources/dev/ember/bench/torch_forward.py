"""PyTorch float32 forward-pass baseline for `ember bench serve`.

The same inference as numpy_forward.py, written the way a PyTorch user serves a model: an
nn.Sequential of Linear and ReLU (784 -> 256 -> 128 -> 10, He-normal weights, zero biases) in eval
mode, called under torch.inference_mode() and followed by torch.softmax over the logits, on a fixed
batch of N(0, 1) rows.

Runs as a small server like the other baselines (baseline_env.serve_steps): each stdin line
`BATCH REPS` is answered with one line holding the median seconds of REPS forward passes of a batch
of BATCH rows (after a few warm-up passes). The first line printed, `ready: JSON`, describes the
baseline (baseline_env.torch_ready). The thread count is the first argument, given to
torch.set_num_threads.
"""
import sys

import baseline_env

try:
    import torch
except ImportError as e:  # reported to the caller, which then goes on without PyTorch
    print("unavailable: PyTorch is not installed for %s (%s)" % (sys.executable, e), flush=True)
    sys.exit(0)

SIZES = [784, 256, 128, 10]


class Forward:
    """The model and one batch of rows; step() is one forward pass and softmax."""

    def __init__(self, batch, gen):
        layers = []
        for i, (fan_in, fan_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
            linear = torch.nn.Linear(fan_in, fan_out)
            torch.nn.init.kaiming_normal_(linear.weight, nonlinearity="relu")
            torch.nn.init.zeros_(linear.bias)
            layers.append(linear)
            if i < len(SIZES) - 2:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers).eval()
        self.x = torch.randn(batch, SIZES[0], generator=gen)

    def step(self):
        with torch.inference_mode():
            return torch.softmax(self.model(self.x), dim=1)


def main():
    torch.set_num_threads(int(sys.argv[1]))
    baseline_env.torch_ready(torch)
    gen = torch.Generator().manual_seed(42)
    baseline_env.serve_steps(lambda batch: Forward(int(batch), gen))


if __name__ == "__main__":
    main()
