#!/usr/bin/env bash
# Runs on a machine with an NVIDIA GPU and no JDK, from the repository root, after
# scripts/gpu-package.sh filled .gpu/ on a build machine:
#
#   bash scripts/gpu-check.sh OUTDIR
#
# Steps (each with its own log in OUTDIR and one line in OUTDIR/summary.txt; a failing step does not
# stop the others): the GPU and driver; `ember info --check`; the CUDA conformance suite and the
# CUDA GPU tests; the nn suites on cuda; Ember's SGEMM next to cuBLAS (FP32 and TF32); the traced
# training steps on cuda and on the CPU backend. The JUnit reports are packed into one archive, so
# OUTDIR holds at most eight files.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:?usage: scripts/gpu-check.sh OUTDIR}
mkdir -p "$out"
summary="$out/summary.txt"
: >"$summary"
note() { echo "$*" | tee -a "$summary"; }

[[ -f .gpu/java.tar.xz ]] || { note "gpu-check: .gpu/java.tar.xz missing: run scripts/gpu-package.sh first"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT   # the unpacked runtime and the raw reports (the archive keeps them)
tar -xJf .gpu/java.tar.xz -C "$work"
java="$work/java/bin/java"
"$java" -version >/dev/null 2>&1 || { note "gpu-check: the packed Java runtime does not start"; exit 1; }

# NVRTC and cuBLAS from the toolkit or a Python wheel; their folders also hold what they load
# (libnvrtc-builtins, libcublasLt).
find_lib() {
    find /usr/local/cuda*/ /usr/lib/x86_64-linux-gnu /opt /usr/local/lib -name "$1" 2>/dev/null | sort | head -n 1
}
nvrtc=$(find_lib 'libnvrtc.so.1[0-9]*')
cublas=$(find_lib 'libcublas.so.1[0-9]*')
libs=""
for f in "$nvrtc" "$cublas"; do [[ -n "$f" ]] && libs="$libs:$(dirname "$f")"; done
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:-}$libs"
note "libraries: nvrtc=${nvrtc:-none} cublas=${cublas:-none}"

lib=.gpu/lib
flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx16g
       ${nvrtc:+-Dember.cuda.nvrtc=$nvrtc} ${cublas:+-Dember.cuda.cublas=$cublas})
cli=("$java" "${flags[@]}" -Dember.backends=cuda,cpu -jar "$lib/ember-cli.jar")
tests_cp=".gpu/cuda-tests:.gpu/nn-tests:$(ls $lib/ember-core-*-tests.jar):$lib/assertj-core-3.27.7.jar"
tests_cp="$tests_cp:$lib/byte-buddy-1.18.3.jar:$lib/ember-cli.jar"

# The whole run ends by this many seconds (a device call is limited): each step gets what is left.
deadline=$((SECONDS + ${GPU_CHECK_SECONDS:-420}))

# step NAME SECONDS COMMAND...: runs with a time limit, logs to OUTDIR/NAME.log, one summary line
step() {
    local name=$1 seconds=$2
    shift 2
    local start=$SECONDS left=$((deadline - SECONDS))
    if [[ " ${GPU_CHECK_SKIP:-} " == *" $name "* ]]; then   # e.g. GPU_CHECK_SKIP="mlp-cpu gemm-cupy"
        note "$name: skipped (GPU_CHECK_SKIP)"
        return
    fi
    ((left < seconds)) && seconds=$left
    if ((seconds < 10)); then
        note "$name: skipped, no time left"
        return
    fi
    timeout "$seconds" "$@" >"$out/$name.log" 2>&1
    local rc=$?
    note "$name: exit $rc in $((SECONDS - start)) s$( ((rc == 124)) && echo ' (timed out)')"
}

# junit NAME SECONDS BACKENDS SELECTORS...: a JUnit run on the backends listed (ember.backends)
junit() {
    local name=$1 seconds=$2 backends=$3
    shift 3
    step "$name" "$seconds" "$java" "${flags[@]}" -Dember.backends="$backends" -Dember.require=cuda -jar \
        "$lib/junit-platform-console-standalone-1.14.4.jar" execute --class-path "$tests_cp" \
        --reports-dir "$work/reports/$name" --details=summary --disable-banner "$@"
    if [[ -f "$out/$name.log" ]]; then
        grep -E "tests (successful|failed|aborted)" "$out/$name.log" | tr -s ' ' | sed "s/^/  $name:/" | tee -a "$summary"
    fi
}

{ nvidia-smi; nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv; } \
    >"$out/gpu.log" 2>&1
note "gpu: $(sed -n 2p <(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv) 2>/dev/null)"

# most important first: a step that finds the deadline passed is skipped
step info 90 "${cli[@]}" info --check
junit conformance 150 cuda --select-class dev.ember.cuda.CudaConformanceTest --select-class dev.ember.cuda.CudaGemmGpuTest
step gemm 100 "${cli[@]}" bench gemm --backend cuda --tf32 --sizes 1024,2048,4096,8192 --rounds 5
step calls 40 "$java" "${flags[@]}" -cp "$lib/ember-cli.jar" dev.ember.bench.report.DeviceCallCosts cuda
step mlp-cuda 80 "${cli[@]}" bench mlp --backend cuda --threads 1 --rounds 5
step mlp-cpu 80 "${cli[@]}" bench mlp --backend cpu --threads "$(nproc)" --rounds 5
# without the three suites that need the Maven layout (a child JVM's class path, the source tree, the
# progress bar's absence), none of which touches a backend
junit nn 120 cuda,cpu --select-package dev.ember.nn \
    --exclude-classname '.*(TrainingDeterminismTest|WithoutProgressBarTest|LayeringTest)' 
if [[ -f .gpu/gemm_check.py ]] && python3 -c 'import cupy' 2>/dev/null; then
    step gemm-cupy 60 python3 .gpu/gemm_check.py .gpu/ptx
fi

# At most eight files come back: every log in one archive, the JUnit XML in another, and beside them
# the summary and the logs whose figures go into the notes.
tar -czf "$out/reports.tar.gz" -C "$work" reports 2>/dev/null
(cd "$out" && tar -czf logs.tar.gz *.log && rm -f gpu.log conformance.log nn.log gemm-cupy.log)
note "done: $(ls "$out" | tr '\n' ' ')"
