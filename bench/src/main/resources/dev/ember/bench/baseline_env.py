"""What a baseline script ran with, as one JSON object, for the `ready:` line every baseline prints.

Shared by the numpy and PyTorch baselines of `ember bench` (Java extracts it next to the script),
with their `ready:` lines and their request loop (serve_steps).
It reports facts read at run time, not build-time claims: the python executable, the library
versions, and every BLAS library mapped into this process with, for OpenBLAS, the kernel
(core type) it picked, its thread count and threading model, asked through its own C API.
threadpoolctl's view is added when that package is installed.
"""
import ctypes
import json
import os
import platform
import re
import sys
import time

# OpenBLAS builds rename their C API: plain, scipy-openblas ("scipy_" prefix) and 64-bit-integer
# ("64_" suffix) builds; threadpoolctl tries the same names.
_PREFIXES = ("", "scipy_")
_SUFFIXES = ("", "64_")


def _openblas_symbol(lib, name):
    for prefix in _PREFIXES:
        for suffix in _SUFFIXES:
            fn = getattr(lib, prefix + name + suffix, None)
            if fn is not None:
                return fn
    return None


def _openblas_info(path):
    info = {"path": path}
    try:
        lib = ctypes.CDLL(path)
    except OSError as e:
        info["error"] = str(e)
        return info
    for key, name, restype in (("config", "openblas_get_config", ctypes.c_char_p),
                               ("corename", "openblas_get_corename", ctypes.c_char_p),
                               ("num_threads", "openblas_get_num_threads", ctypes.c_int),
                               ("parallel", "openblas_get_parallel", ctypes.c_int)):
        fn = _openblas_symbol(lib, name)
        if fn is None:
            continue
        fn.restype = restype
        value = fn()
        info[key] = value.decode() if isinstance(value, bytes) else value
    if "parallel" in info:
        info["parallel"] = {0: "sequential", 1: "pthreads", 2: "openmp"}.get(info["parallel"], info["parallel"])
    return info


def loaded_blas():
    """Every mapped library whose name says BLAS, MKL or oneDNN, resolved to its real file."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                parts = line.split()
                if len(parts) < 6:
                    continue
                path = os.path.realpath(parts[5])
                name = os.path.basename(path).lower()
                if any(k in name for k in ("blas", "mkl", "dnnl", "lapack")) and path not in paths:
                    paths.append(path)
    except OSError:
        pass
    libs = []
    for path in paths:
        name = os.path.basename(path).lower()
        libs.append(_openblas_info(path) if "openblas" in name else {"path": path})
    return libs


def _threadpools():
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl.threadpool_info()


def environment(**extra):
    """The JSON-ready description: python, platform, BLAS libraries, plus the caller's fields."""
    env = {
        "python": sys.executable,
        "python_version": platform.python_version(),
        "blas_libraries": loaded_blas(),
    }
    pools = _threadpools()
    if pools is not None:
        env["threadpoolctl"] = pools
    env.update(extra)
    return env


def blas_summary(libs):
    """One phrase for the first BLAS found: OpenBLAS with its kernel and threads, or the file name."""
    for lib in libs:
        if "corename" in lib:
            return "OpenBLAS %s kernel, %s threads (%s)" % (lib["corename"], lib.get("num_threads", "?"),
                                                          lib.get("parallel", "?"))
    return ", ".join(os.path.basename(lib["path"]) for lib in libs) or "no BLAS library loaded"


def numpy_fields(np):
    """numpy's version and the BLAS its build names (numpy.show_config), for environment()."""
    fields = {"numpy_version": np.__version__}
    try:
        fields["numpy_blas"] = np.show_config(mode="dicts").get("Build Dependencies", {}).get("blas", {})
    except Exception as e:  # numpy < 1.25 has no mode="dicts"
        fields["numpy_blas"] = {"error": str(e)}
    return fields


def numpy_ready(np):
    """The `ready:` line of a numpy baseline."""
    fields = numpy_fields(np)
    blas = fields["numpy_blas"]
    summary = "numpy %s, %s %s: %s" % (np.__version__, blas.get("name", "?"), blas.get("version", "?"),
                                       blas_summary(loaded_blas()))
    ready(summary, **fields)


def ready(summary, **extra):
    """Prints the `ready:` line the Java side waits for: a JSON object with a one-line summary."""
    env = environment(**extra)
    env["summary"] = summary
    print("ready: " + json.dumps(env, default=str), flush=True)


def torch_ready(torch):
    """The `ready:` line of a PyTorch baseline, after torch.set_num_threads: the version, the BLAS its
    build names (torch.__config__.show()) and the one actually loaded, the thread count."""
    # one small product first, so the BLAS torch dispatches to is mapped before it is reported
    torch.ones(64, 64) @ torch.ones(64, 64)
    found = re.search(r"BLAS_INFO=([^,\s]+)", torch.__config__.show())
    config_blas = found.group(1) if found else "?"
    summary = "PyTorch %s (build BLAS_INFO=%s), %d threads: %s" % (
        torch.__version__, config_blas, torch.get_num_threads(), blas_summary(loaded_blas()))
    ready(summary, torch_version=torch.__version__, torch_threads=torch.get_num_threads(),
          torch_blas_info=config_blas, torch_config=torch.__config__.show(),
          torch_parallel_info=torch.__config__.parallel_info())


def serve_steps(make_task):
    """Answers each request line "KEY REPS" on stdin with the median seconds of REPS calls of
    step() (after 3 warm-up calls) on the task make_task(KEY) builds once per key."""
    tasks = {}
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        key, reps = parts[0], int(parts[1])
        if key not in tasks:
            tasks[key] = make_task(key)
        task = tasks[key]
        for _ in range(3):
            task.step()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            task.step()
            times.append(time.perf_counter() - t0)
        times.sort()
        print("%.9f" % times[len(times) // 2], flush=True)
