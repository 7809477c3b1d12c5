package dev.ember.bench.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one baseline process ran with: the environment settings Ember applied ({@code env} set,
 * {@code unset} removed), the interpreter command, and what the script reported about itself
 * ({@code runtime}: python executable and version, library versions, the BLAS libraries it loaded
 * with OpenBLAS's kernel and thread count; see {@code baseline_env.py}). When the baseline could
 * not run, {@code reason} says why and {@code runtime} is empty.
 */
public record BaselineEnvironment(String engine, int threads, String python, Map<String, String> env,
                                  List<String> unset, Map<String, Object> runtime, String reason) {
    public BaselineEnvironment {
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        unset = List.copyOf(unset);
        runtime = Collections.unmodifiableMap(new LinkedHashMap<>(runtime));
    }

    public boolean available() {
        return reason == null;
    }

    /** One line: the script's summary or the reason it did not run, then the settings. */
    public String description() {
        String settings = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")) + (unset.isEmpty() ? "" : ", unset " + String.join(" ", unset));
        String what = available() ? String.valueOf(runtime.getOrDefault("summary", "?")) : "unavailable: " + reason;
        return engine + ", " + threads + " thread(s): " + what + " [" + settings + "]";
    }
}
