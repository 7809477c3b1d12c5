package dev.ember.cli.lab;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * What {@code ember lab NAME --json} prints: the run's settings, its variants, the plots written
 * and notes (e.g. the published outcome to compare with).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"experiment", "backend", "seed", "dtype", "init_rng", "scale", "seconds", "variants", "plots", "notes"})
public record ExperimentResult(@JsonProperty("experiment") String experiment,
                               @JsonProperty("backend") String backend,
                               @JsonProperty("seed") long seed,
                               @JsonProperty("dtype") String dtype,
                               @JsonProperty("init_rng") String initRng,
                               @JsonProperty("scale") double scale,
                               @JsonProperty("seconds") double seconds,
                               @JsonProperty("variants") List<VariantResult> variants,
                               @JsonProperty("plots") List<String> plots,
                               @JsonProperty("notes") List<String> notes) {
    public VariantResult variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(experiment + ": no variant '" + name + "'"));
    }
}
