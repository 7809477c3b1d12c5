#!/usr/bin/env python3
"""Writes numpy_random_reference.txt: values of numpy's legacy RandomState that
NumpyRandomStateTest compares with dev.ember.nn.random.NumpyRandomState bit for bit.

Run from this directory:  python3 numpy_random_reference.py > numpy_random_reference.txt
Lines: '<kind> <seed> <count-or-n>' followed by one line of values ('repr' of doubles, exact)."""
import numpy as np

def emit(kind, seed, n, values):
    # permutations: the first 500 entries (the shuffle runs from the end, so they are decided last)
    values = values[:500]
    print(kind, seed, n)
    print(" ".join(repr(float(v)) if kind != "permutation" else str(int(v)) for v in values))

for seed in (0, 1, 3, 10, 4294967295):
    np.random.seed(seed); emit("randn", seed, 301, np.random.randn(301))
    np.random.seed(seed); emit("rand", seed, 300, np.random.rand(300))
for seed, n in ((11, 300), (12, 300), (5011, 300), (3, 1000), (7, 70000)):
    np.random.seed(seed); emit("permutation", seed, n, np.random.permutation(n))
# mixed use of one stream: randn (odd count keeps a cached Gaussian), then rand, then randn again
np.random.seed(3)
emit("mixed", 3, 13, np.concatenate([np.random.randn(3), np.random.rand(5), np.random.randn(5)]))
