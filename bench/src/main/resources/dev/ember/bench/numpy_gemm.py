"""numpy/OpenBLAS GEMM baseline for `ember bench gemm`.

Runs as a small server so Ember can interleave its own runs with these in one invocation:
each stdin line `DTYPE M N K TRANS_A TRANS_B REPS` (DTYPE f32|f64, TRANS_* 0|1) is answered with
one line holding the median seconds of REPS timed products (after one warm-up). The first line
printed, `ready: JSON`, describes the baseline (baseline_env.py). OpenBLAS's thread count
comes from OPENBLAS_NUM_THREADS, which the caller sets to Ember's thread count.
"""
import sys
import time

import baseline_env

try:
    import numpy as np
except ImportError as e:  # reported to the caller, which then measures Ember alone
    print("unavailable: numpy is not installed (" + str(e) + ")", flush=True)
    sys.exit(0)


def main():
    baseline_env.numpy_ready(np)
    rng = np.random.default_rng(42)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        dtype = np.float32 if parts[0] == "f32" else np.float64
        m, n, k, ta, tb, reps = (int(p) for p in parts[1:7])
        a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(dtype)
        b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(dtype)
        opa = a.T if ta else a
        opb = b.T if tb else b
        c = np.empty((m, n), dtype=dtype)
        np.matmul(opa, opb, out=c)
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            np.matmul(opa, opb, out=c)
            times.append(time.perf_counter() - t0)
        times.sort()
        print("%.9f" % times[len(times) // 2], flush=True)


if __name__ == "__main__":
    main()
