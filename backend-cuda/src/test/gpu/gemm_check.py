#!/usr/bin/env python3
"""
Ember's CUDA GEMM kernels on a real GPU, without the Java backend: first correctness against NumPy in
float64 (edge shapes, offsets, padded leading dimensions, all four transposes, alpha/beta, beta == 0 over
a NaN C, NaN propagation, C's padding untouched), then speed at 4096^3 against cuBLAS.

    python3 src/test/gpu/gemm_check.py [PTX_DIR]     (from backend-cuda; PTX_DIR defaults to the
                                                      Maven build's target/classes/dev/ember/cuda/ptx)

On a GPU machine with nvcc but no Maven build, make the PTX first (from the repository root):

    bash backend-cuda/src/build/build-ptx.sh gpu-kernels/src/main/resources/dev/ember/gpu \
        backend-cuda/src/main/cuda /tmp/ember-ptx && python3 backend-cuda/src/test/gpu/gemm_check.py /tmp/ember-ptx

Needs CuPy (kernels through RawModule, cuBLAS through cupy.matmul); the TF32 baseline uses PyTorch when it
is installed. Exit status 1 when any correctness check fails. The launch geometry mirrors GemmPlan: one
256-thread block per 64 x 64 (general) or 128 x 128 (big, TF32) tile of C, in a one-dimensional grid.
"""
import os
import sys

import cupy as cp
import numpy as np

PTX = sys.argv[1] if len(sys.argv) > 1 else "target/classes/dev/ember/cuda/ptx"
TF32_SHARED_BYTES = 73728  # GemmPlan.TF32_SHARED_BYTES
MODULES = {
    "gemm": cp.RawModule(path=os.path.join(PTX, "gemm.ptx")),
    "gemm_tf32": cp.RawModule(path=os.path.join(PTX, "gemm_tf32.ptx")),
}


def kernel(family, dtype, ta, tb):
    """(RawKernel, tile, dynamic shared bytes) of one kernel."""
    s = ("t" if ta else "n") + ("t" if tb else "n")
    if family == "general":
        real = "f32" if dtype == np.float32 else "f64"
        return MODULES["gemm"].get_function(f"ember_gemm_{real}_{s}"), 64, 0
    if family == "big":
        return MODULES["gemm"].get_function(f"ember_sgemm_big_{s}"), 128, 0
    k = MODULES["gemm_tf32"].get_function(f"ember_sgemm_tf32_{s}")
    k.max_dynamic_shared_size_bytes = TF32_SHARED_BYTES
    return k, 128, TF32_SHARED_BYTES


def launch(family, dtype, ta, tb, M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc):
    k, tile, smem = kernel(family, dtype, ta, tb)
    grid = (-(-M // tile)) * (-(-N // tile))
    i = np.int32
    k((grid,), (256,), (i(M), i(N), i(K), dtype(alpha), A, i(aoff), i(lda), B, i(boff), i(ldb), dtype(beta), C,
                        i(coff), i(ldc)), shared_mem=smem)


def stored(rng, rows, cols, off, ld, dtype, fill):
    """A buffer holding a rows x cols matrix at off with leading dimension ld; everything else is fill."""
    buf = np.full(off + rows * ld, fill, dtype=dtype)
    view = buf[off:off + rows * ld].reshape(rows, ld)[:, :cols]
    view[...] = rng.standard_normal((rows, cols)).astype(dtype)
    return buf, view


SENTINEL = 12345.0
failures = []


def check(family, dtype, ta, tb, M, N, K, off, pad, alpha, beta, rng, nan_in_a=False):
    aR, aC = (K, M) if ta else (M, K)
    bR, bC = (N, K) if tb else (K, N)
    lda, ldb, ldc = max(aC + pad, 1), max(bC + pad, 1), N + pad
    aoff, boff, coff = off, 2 * off, 3 * off
    a_buf, a = stored(rng, aR, aC, aoff, lda, dtype, np.nan)  # padding is NaN: reading it shows
    b_buf, b = stored(rng, bR, bC, boff, ldb, dtype, np.nan)
    c_buf, c = stored(rng, M, N, coff, ldc, dtype, SENTINEL)  # padding must survive
    if beta == 0:
        c[...] = np.nan  # must not leak
    opA = a.T if ta else a
    opB = b.T if tb else b
    if nan_in_a:
        opA[0, 0] = np.nan
        opB[0, :] = 0  # 0 * NaN is NaN: no zero may be skipped
    ref = alpha * (opA.astype(np.float64) @ opB.astype(np.float64))
    bound = abs(alpha) * (np.abs(opA).astype(np.float64) @ np.abs(opB).astype(np.float64))
    if beta != 0:
        ref += beta * c.astype(np.float64)
        bound += abs(beta) * np.abs(c).astype(np.float64)
    eps = np.finfo(dtype).eps
    tol = ((K + 2) * eps + (2.0 ** -10 if family == "tf32" else 0.0)) * bound + 1e-30

    A, B, C = cp.asarray(a_buf), cp.asarray(b_buf), cp.asarray(c_buf)
    launch(family, dtype, ta, tb, M, N, K, alpha, A, aoff, lda, B, boff, ldb, beta, C, coff, ldc)
    out_buf = cp.asnumpy(C)
    out = out_buf[coff:coff + M * ldc].reshape(M, ldc)[:, :N].astype(np.float64)

    mask = np.ones(out_buf.shape, dtype=bool)
    mask[coff:coff + M * ldc].reshape(M, ldc)[:, :N] = False
    problems = []
    if not np.all(out_buf[mask] == SENTINEL):
        problems.append(f"{int(np.sum(out_buf[mask] != SENTINEL))} elements outside C changed")
    if nan_in_a:
        if not np.all(np.isnan(out[0, :])):
            problems.append("row 0 should be NaN (0 * NaN)")
        out, ref, tol = out[1:], ref[1:], tol[1:]
    if not np.all(np.isfinite(out)):
        problems.append(f"{int(np.sum(~np.isfinite(out)))} non-finite results")
    err = np.abs(out - ref)
    worst = float(np.max(err / tol)) if out.size else 0.0
    if worst > 1:
        problems.append(f"error {worst:.2f} x the bound")
    s = ("t" if ta else "n") + ("t" if tb else "n")
    label = (f"{family}_{np.dtype(dtype).name}_{s} M={M} N={N} K={K} off={off} pad={pad} "
             f"alpha={alpha} beta={beta}{' nan' if nan_in_a else ''}")
    print(("FAIL " if problems else "ok   ") + label + (": " + "; ".join(problems) if problems else
                                                         f" (worst {worst:.3f} of bound)"), flush=True)
    if problems:
        failures.append(label)


def correctness():
    rng = np.random.default_rng(7)
    scalars = [(1.0, 0.0), (2.0, -1.0), (0.5, 0.5)]
    general = [(1, 1, 1), (1, 1, 0), (3, 5, 7), (65, 63, 17), (127, 129, 40), (200, 70, 33), (1000, 1000, 300)]
    fast = [(4, 4, 4), (128, 128, 8), (132, 260, 12), (260, 132, 100), (1020, 2044, 516), (2048, 2048, 2048)]
    for ta in (False, True):
        for tb in (False, True):
            for n, (M, N, K) in enumerate(general):
                for dtype in (np.float32, np.float64):
                    alpha, beta = scalars[n % 3]
                    check("general", dtype, ta, tb, M, N, K, n % 3, (n % 2) * 3, alpha, beta, rng)
            for family in ("big", "tf32"):
                for n, (M, N, K) in enumerate(fast):
                    if (M, N, K) == (2048, 2048, 2048) and (ta or tb):
                        continue  # the large shape once per family: the host reference is slow
                    alpha, beta = scalars[n % 3]
                    check(family, np.float32, ta, tb, M, N, K, (n % 3) * 4, (n % 2) * 4, alpha, beta, rng)
    for family, dtype in (("general", np.float32), ("general", np.float64), ("big", np.float32),
                          ("tf32", np.float32)):
        check(family, dtype, False, False, 256, 256, 64, 0, 0, 1.0, 0.0, rng, nan_in_a=True)


def timed(fn, reps=20):
    """Milliseconds per call, after a warm-up, over reps calls between two CUDA events."""
    fn()
    cp.cuda.Device().synchronize()
    start, stop = cp.cuda.Event(), cp.cuda.Event()
    start.record()
    for _ in range(reps):
        fn()
    stop.record()
    stop.synchronize()
    return cp.cuda.get_elapsed_time(start, stop) / reps


def speed(n=4096):
    flop = 2.0 * n * n * n
    results = {}
    for dtype in (np.float32, np.float64):
        a = cp.asarray(np.random.default_rng(1).standard_normal((n, n)).astype(dtype))
        b = cp.asarray(np.random.default_rng(2).standard_normal((n, n)).astype(dtype))
        c = cp.zeros((n, n), dtype=dtype)
        name = np.dtype(dtype).name
        results[f"cublas_{name}"] = timed(lambda: cp.matmul(a, b, out=c))
        families = ["general"] if dtype == np.float64 else ["general", "big", "tf32"]
        for family in families:
            for ta, tb in ((False, False), (False, True), (True, False), (True, True)):
                if family == "general" and (ta or tb):
                    continue
                s = ("t" if ta else "n") + ("t" if tb else "n")
                results[f"{family}_{name}_{s}"] = timed(
                    lambda: launch(family, dtype, ta, tb, n, n, n, 1.0, a, 0, n, b, 0, n, 0.0, c, 0, n))
    try:
        import torch
        torch.backends.cuda.matmul.allow_tf32 = True
        ta_, tb_ = torch.randn(n, n, device="cuda"), torch.randn(n, n, device="cuda")
        tc_ = torch.empty(n, n, device="cuda")
        torch.matmul(ta_, tb_, out=tc_)
        torch.cuda.synchronize()
        s, e = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        s.record()
        for _ in range(20):
            torch.matmul(ta_, tb_, out=tc_)
        e.record()
        e.synchronize()
        results["cublas_tf32 (torch)"] = s.elapsed_time(e) / 20
    except Exception as ex:  # no PyTorch: no TF32 baseline
        print(f"no TF32 baseline: {ex}")
    print(f"\nspeed at {n}^3 (ms, TFLOP/s, share of the matching cuBLAS):")
    for name, ms in results.items():
        base = ("cublas_tf32 (torch)" if "tf32" in name else "cublas_float64" if "float64" in name
                else "cublas_float32")
        share = results.get(base, float("nan")) / ms
        print(f"  {name:24s} {ms:8.3f} ms {flop / ms / 1e9:8.1f} TFLOP/s {share * 100:6.1f}%")


if __name__ == "__main__":
    props = cp.cuda.runtime.getDeviceProperties(0)
    print(f"device: {props['name'].decode()}, compute capability {props['major']}.{props['minor']}, "
          f"driver {cp.cuda.runtime.driverGetVersion()}")
    correctness()
    speed()
    print(f"\n{len(failures)} correctness failures" + (": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)
