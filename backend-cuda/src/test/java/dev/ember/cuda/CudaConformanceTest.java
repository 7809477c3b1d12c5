package dev.ember.cuda;

import dev.ember.core.conformance.BackendConformance;

/**
 * The whole backend conformance suite on the CUDA backend. It needs an NVIDIA GPU, so the normal
 * build leaves it out (this module's surefire excludes it); {@code scripts/gpu-check.sh} runs it on a
 * GPU machine with {@code -Dember.require=cuda}, so an unusable backend fails there instead of skipping.
 */
class CudaConformanceTest implements BackendConformance {
    @Override
    public String backendName() {
        return "cuda";
    }
}
