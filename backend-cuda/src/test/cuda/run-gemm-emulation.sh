#!/usr/bin/env bash
# Builds and runs gemm_emulation.cpp: Ember's CUDA GEMM kernels on the CPU under AddressSanitizer
# (see that file). Needs g++ with C++20; no GPU, no CUDA toolkit. Argument: general, big or tf32 to run
# one family only. Exit status 0 when every case is exact.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${TMPDIR:-/tmp}/ember-gemm-emulation
g++ -std=c++20 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -pthread \
    -Wall -Wno-unknown-pragmas -Wno-unused-function \
    "$here/gemm_emulation.cpp" -o "$out"
"$out" "$@"
