#!/usr/bin/env bash
# Packs what scripts/gpu-check.sh needs on a GPU machine that has no JDK and no network, into .gpu/
# at the repository root (ignored by git): a jlinked Java 25 runtime (as one .tar.xz), the ember
# command's jar, and the test classes and libraries of the CUDA and nn suites. Everything must fit
# the 64 MiB a device run carries together with the working tree, so the script fails above 60 MiB.
#
#   scripts/gpu-package.sh          # builds with the Maven wrapper (offline if -o is in MAVEN_ARGS)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jdk="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[[ -x "$jdk/bin/jlink" ]] || { echo "gpu-package: needs a JDK 25 with jlink (JAVA_HOME=$jdk)" >&2; exit 1; }
export JAVA_HOME="$jdk"

# the cli jar and the modules under it (their test classes included), not the examples
./mvnw -B -q ${MAVEN_ARGS:-} package -DskipTests -Dmaven.javadoc.skip=true -pl cli -am

out=.gpu
rm -rf "$out"
mkdir -p "$out/lib" "$out/build"

# The runtime: the modules the jars use (jdeps on the cli jar), jdk.unsupported for JCuda and the
# test libraries, jdk.zipfs for JUnit's scan of jars, compressed; unpacked on the device.
modules="java.base,java.logging,java.sql,java.management,jdk.management,jdk.incubator.vector,jdk.jfr,jdk.unsupported,jdk.zipfs"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
    --output "$out/build/java" 2>/dev/null
tar -cJf "$out/java.tar.xz" -C "$out/build" java
rm -rf "$out/build"

m2="${MAVEN_REPO:-$HOME/.m2/repository}"
cp cli/target/ember-cli.jar "$out/lib/"
cp core/target/ember-core-*-tests.jar "$out/lib/"
# test classes as folders, which JUnit's package scan reads; nn's without its fuzz tests (Jazzer, no GPU)
cp -r backend-cuda/target/test-classes "$out/cuda-tests"
cp -r nn/target/test-classes "$out/nn-tests"
find "$out/nn-tests" -name '*FuzzTest*.class' -delete
cp "$m2/org/junit/platform/junit-platform-console-standalone/1.14.4/junit-platform-console-standalone-1.14.4.jar" \
    "$out/lib/"
cp "$m2"/org/assertj/assertj-core/3.27.7/assertj-core-3.27.7.jar "$out/lib/"
cp "$m2"/net/bytebuddy/byte-buddy/1.18.3/byte-buddy-1.18.3.jar "$out/lib/"
# G's CuPy check of the GEMM kernels, with the PTX it loads
cp backend-cuda/src/test/gpu/gemm_check.py "$out/"
mkdir -p "$out/ptx" && cp backend-cuda/target/classes/dev/ember/cuda/ptx/* "$out/ptx/"

size=$(du -sb "$out" | cut -f1)
echo "gpu-package: $out holds $((size / 1048576)) MiB:"
du -sh "$out"/* "$out"/lib/* | sed 's/^/  /'
if (( size > 60 * 1048576 )); then
    echo "gpu-package: over 60 MiB: a device run carries 64 MiB with the working tree" >&2
    exit 1
fi
