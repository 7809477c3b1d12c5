package dev.ember.cli.lab;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * One variant of an experiment. Absent accuracies (no dev set, or a gradient check) are null and
 * left out of the JSON; {@code extra} holds experiment-specific fields, written at the same level.
 *
 * @param costs {@code [step, cost]} pairs (step = iteration for full-batch runs, epoch otherwise)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "train_accuracy", "dev_accuracy", "test_accuracy", "final_cost", "costs", "seconds"})
public record VariantResult(@JsonProperty("name") String name,
                            @JsonProperty("train_accuracy") Double trainAccuracy,
                            @JsonProperty("dev_accuracy") Double devAccuracy,
                            @JsonProperty("test_accuracy") Double testAccuracy,
                            @JsonProperty("final_cost") Double finalCost,
                            @JsonProperty("costs") List<double[]> costs,
                            @JsonProperty("seconds") double seconds,
                            @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {
    public VariantResult {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    @JsonAnyGetter
    public Map<String, Object> extraFields() {
        return new java.util.TreeMap<>(extra);
    }
}
