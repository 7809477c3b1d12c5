package dev.ember.cli;

import dev.ember.bench.report.BaselineEnvironment;

import java.util.List;
import java.util.Map;

/**
 * What one baseline process of {@code ember bench} ran with, in the JSON of {@code bench gemm}
 * and {@code bench mlp}: the settings Ember applied ({@code env} set, {@code unset} removed), the
 * interpreter command, and {@code runtime}, the script's own report (python executable, numpy /
 * torch versions, the BLAS libraries loaded with OpenBLAS's kernel and threads). When the baseline
 * did not run, {@code available} is false, {@code reason} says why and {@code runtime} is empty.
 */
record BaselineJson(String engine, int threads, boolean available, String reason, String python,
                    Map<String, String> env, List<String> unset, Map<String, Object> runtime, String description) {
    static BaselineJson of(BaselineEnvironment e) {
        return new BaselineJson(e.engine(), e.threads(), e.available(), e.reason(), e.python(), e.env(), e.unset(),
                e.runtime(), e.description());
    }

    static List<BaselineJson> of(List<BaselineEnvironment> environments) {
        return environments.stream().map(BaselineJson::of).toList();
    }
}
