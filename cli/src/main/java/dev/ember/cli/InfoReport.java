package dev.ember.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ember.core.spi.MemoryStats;

import java.util.List;

/**
 * What {@code ember info} reports; serialised as-is by {@code ember info --json}, so the component
 * names are the JSON keys. {@code selected} is the backend {@code auto} picks ({@code null} when none
 * is available); {@code requested} is what configuration asks for ({@code -Dember.backend}, else
 * {@code EMBER_BACKEND}, else {@code auto}) and {@code error} says why it cannot be honoured.
 */
public record InfoReport(
        String ember,
        JavaInfo java,
        VectorInfo vector,
        int processors,
        List<BackendInfo> backends,
        String requested,
        String selected,
        @JsonInclude(JsonInclude.Include.NON_NULL) String error,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<CheckResult> checks,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passed) {

    /** The same report with the results of {@code --check} and the memory of the backends they used. */
    public InfoReport withChecks(List<CheckResult> results, java.util.Map<String, MemoryStats> memory) {
        List<BackendInfo> withMemory = backends.stream()
                .map(b -> memory.containsKey(b.name()) ? b.withMemory(memory.get(b.name())) : b)
                .toList();
        boolean allPassed = !results.isEmpty() && results.stream().allMatch(CheckResult::pass);
        return new InfoReport(ember, java, vector, processors, withMemory, requested, selected, error,
                List.copyOf(results), allPassed);
    }

    /** The running JVM. */
    public record JavaInfo(String version, String vendor, String vm, String home) {
    }

    /**
     * The Vector API's preferred species, or why the Vector API is missing (the JVM was started
     * without {@code --add-modules jdk.incubator.vector}).
     */
    public record VectorInfo(
            boolean available,
            @JsonProperty("F32") @JsonInclude(JsonInclude.Include.NON_NULL) Species f32,
            @JsonProperty("F64") @JsonInclude(JsonInclude.Include.NON_NULL) Species f64,
            @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {
    }

    /** A vector shape: its width in bits and its number of lanes. */
    public record Species(int bits, int lanes) {
    }

    /**
     * One backend provider as its probe answered: {@code state} is {@code available}, {@code unavailable}
     * or {@code misconfigured}; {@code options} are the names {@code Backends.open} accepts (each defaulting
     * to {@code -Dember.NAME.OPTION}); {@code memory} is present for backends this run instantiated (those
     * {@code --check} exercised).
     */
    public record BackendInfo(String name, boolean available, String state, String reason, int priority,
                              String device, List<String> options,
                              @JsonInclude(JsonInclude.Include.NON_NULL) MemoryStats memory) {
        BackendInfo withMemory(MemoryStats stats) {
            return new BackendInfo(name, available, state, reason, priority, device, options, stats);
        }
    }
}
