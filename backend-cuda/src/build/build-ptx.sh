#!/usr/bin/env bash
# Compiles the CUDA backend's kernels to PTX at build time (Maven's generate-resources phase), so that
# the jar carries them and the driver JIT-compiles them for whatever GPU it finds.
#
#   build-ptx.sh SHARED_DIR CUDA_DIR OUT_DIR
#
# SHARED_DIR holds the kernel sources both GPU backends compile (gpu-kernels: *.cl and the dialect
# headers), CUDA_DIR this module's own (ember_kernels.cu, gemm.cu, gemm_tf32.cu), OUT_DIR receives the
# .ptx files and kernels.properties, which KernelImages reads:
#
#   built=true|false   reason=...        (why not, when false)
#   nvcc=13.0.88       toolkit=13000     (the least driver version, in cuDriverGetVersion's units,
#                                         that JIT-compiles this PTX: the toolkit's major*1000+minor*10)
#   ptxIsa=9.0         arch=compute_75   (the PTX ISA and the oldest virtual architecture nvcc offers)
#   modules=...        arch.MODULE=...   (each module's virtual architecture)
#
# Without nvcc (on the PATH, or in /usr/local/cuda/bin) it writes built=false and succeeds: the jar then
# says its kernels were not built. With nvcc, any compiler error fails the build, and so does ptxas
# rejecting a module for sm_80 or sm_90 (each module is assembled for both as a check; the output is
# discarded).
set -euo pipefail

if [ "$#" -ne 3 ]; then
    echo "build-ptx: usage: build-ptx.sh SHARED_SOURCE_DIR CUDA_SOURCE_DIR OUTPUT_DIR (got $# arguments)" >&2
    exit 2
fi
shared=$1
cuda=$2
out=$3

fail() {
    echo "build-ptx: $*" >&2
    exit 1
}

[ -d "$shared" ] || fail "shared kernel source directory '$shared' does not exist"
[ -d "$cuda" ] || fail "CUDA source directory '$cuda' does not exist"
mkdir -p "$out"

# Up to date: a successful build newer than every source and this script, its modules all present.
stamp="$out/kernels.properties"
if [ -f "$stamp" ] && grep -qx 'built=true' "$stamp" \
        && [ -z "$(find "$shared" "$cuda" "$0" -newer "$stamp" -print 2>/dev/null | sed -n 1p)" ]; then
    present=true
    for m in $(sed -n 's/^modules=//p' "$stamp" | tr ',' ' '); do
        [ -f "$out/$m.ptx" ] || present=false
    done
    if [ "$present" = true ]; then
        echo "build-ptx: kernels up to date in $out"
        exit 0
    fi
fi
rm -f "$out"/*.ptx "$stamp"

# Writes kernels.properties through a temporary file, so a failed build never leaves a half-written one.
write_properties() {
    local tmp="$out/kernels.properties.tmp"
    printf '%s\n' "# Written by backend-cuda/src/build/build-ptx.sh" "$@" > "$tmp"
    mv "$tmp" "$out/kernels.properties"
}

nvcc=$(command -v nvcc || true)
if [ -z "$nvcc" ] && [ -x /usr/local/cuda/bin/nvcc ]; then
    nvcc=/usr/local/cuda/bin/nvcc
fi
if [ -z "$nvcc" ]; then
    write_properties "built=false" "reason=nvcc not found on the PATH or in /usr/local/cuda/bin"
    echo "build-ptx: nvcc not found on the PATH or in /usr/local/cuda/bin: the CUDA kernels are not built"
    exit 0
fi

# ptxas from the same toolkit as nvcc, else the one on the PATH.
ptxas="$(dirname "$nvcc")/ptxas"
if [ ! -x "$ptxas" ]; then
    ptxas=$(command -v ptxas || true)
fi
[ -n "$ptxas" ] || fail "nvcc is $nvcc but no ptxas was found beside it or on the PATH"

version_text=$("$nvcc" --version) || fail "'$nvcc --version' failed"
# "Cuda compilation tools, release 13.0, V13.0.88"
release=$(printf '%s\n' "$version_text" | sed -n 's/.*release \([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p')
nvcc_version=$(printf '%s\n' "$version_text" | sed -n 's/.*release [0-9.]*, V\([0-9][0-9.]*\).*/\1/p')
[ -n "$release" ] && [ -n "$nvcc_version" ] || fail "cannot read the CUDA release from '$nvcc --version': $version_text"
read -r major minor <<< "$release"
toolkit=$((major * 1000 + minor * 10))

# The oldest virtual architecture this nvcc can target: the widest range of GPUs can JIT the PTX.
arch_list=$("$nvcc" --list-gpu-arch 2>/dev/null) || fail "'$nvcc --list-gpu-arch' failed (CUDA 11.0 or newer is needed)"
oldest=$(printf '%s\n' "$arch_list" | sed -n 's/^compute_\([0-9][0-9]*\)$/\1/p' | sort -n | sed -n 1p)
[ -n "$oldest" ] || fail "no compute_NN architecture in '$nvcc --list-gpu-arch': $arch_list"
base_arch="compute_$oldest"
# TF32 tensor cores (wmma::precision::tf32) and cp.async need sm_80.
tf32_arch=compute_80
[ "$oldest" -le 80 ] || tf32_arch=$base_arch

# No -lineinfo: it writes this machine's absolute source paths into the PTX (jars would differ by checkout).
common_flags=(-ptx -O3 -std=c++17)

# compile SOURCE OUTPUT ARCH FLAGS...
compile() {
    local src=$1 dst=$2 arch=$3
    shift 3
    [ -f "$src" ] || fail "missing kernel source $src"
    if ! "$nvcc" "${common_flags[@]}" -arch="$arch" -I"$shared" -I"$cuda" "$@" "$src" -o "$dst"; then
        fail "nvcc failed compiling $src for $arch ($*) into $dst"
    fi
}

# check PTX: assembles it for sm_80 and sm_90, failing the build on any error.
check() {
    local ptx=$1 sm
    for sm in sm_80 sm_90; do
        if ! "$ptxas" -arch="$sm" "$ptx" -o /dev/null; then
            fail "ptxas rejected $(basename "$ptx") for $sm"
        fi
    done
}

modules=()
module_lines=()
# build MODULE SOURCE ARCH FLAGS...
build() {
    local module=$1 src=$2 arch=$3
    shift 3
    local ptx="$out/$module.ptx"
    compile "$src" "$ptx" "$arch" "$@"
    check "$ptx"
    local entries
    entries=$(grep -c '^\.visible \.entry ' "$ptx" || true)
    [ "$entries" -gt 0 ] || fail "$module.ptx has no kernel entry points"
    modules+=("$module")
    module_lines+=("arch.$module=$arch")
    echo "build-ptx: $module.ptx: $entries kernels, $arch, ptxas sm_80 and sm_90 ok"
}

# The shared kernels round every operation (--fmad=false), as the fused expressions NVRTC builds do
# (CudaCompileOptions), so a step gives the same numbers eager and traced. EMBER_WG is
# CudaCompileOptions.GROUP_SIZE, the block size the backend launches.
build ember_f32 "$cuda/ember_kernels.cu" "$base_arch" --fmad=false -DREAL=float -DEMBER_WG=256
build ember_f64 "$cuda/ember_kernels.cu" "$base_arch" --fmad=false -DREAL=double -DEMBER_F64 -DEMBER_WG=256
build gemm "$cuda/gemm.cu" "$base_arch"
build gemm_tf32 "$cuda/gemm_tf32.cu" "$tf32_arch"

isa=$(sed -n 's/^\.version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' "$out/ember_f32.ptx" | sed -n 1p)
[ -n "$isa" ] || fail "no .version line in ember_f32.ptx"

module_list=$(IFS=,; printf '%s' "${modules[*]}")
write_properties "built=true" "nvcc=$nvcc_version" "toolkit=$toolkit" "ptxIsa=$isa" "arch=$base_arch" \
    "modules=$module_list" "${module_lines[@]}"
echo "build-ptx: nvcc $nvcc_version (PTX ISA $isa, driver $toolkit or newer) built $module_list into $out"
