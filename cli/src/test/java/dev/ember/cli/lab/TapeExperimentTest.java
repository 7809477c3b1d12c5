package dev.ember.cli.lab;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.ember.cli.lab.LabRuns.ember;
import static dev.ember.cli.lab.LabRuns.variant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code ember lab tape} on the CPU backend, seed 1, quick: the figures each idea is shown with,
 * pinned (the CPU kernels are deterministic).
 */
class TapeExperimentTest {

    @Test
    void theTapeIdeasShowWhatTheySay() throws Exception {
        LabRuns.Run r = ember("lab", "tape", "--backend", "cpu", "--quick", "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = r.json();

        JsonNode tape = variant(j, "tape-gradient");
        assertThat(tape.get("value").asDouble()).isEqualTo(6.0);
        assertThat(tape.get("tape_gradient").asDouble()).isEqualTo(tape.get("analytic_gradient").asDouble())
                .isEqualTo(15.0);

        JsonNode state = variant(j, "variable-vs-constant");
        assertThat(state.get("w_same_tensor").asBoolean()).isTrue();
        assertThat(state.get("w_after").get(0).asDouble()).isCloseTo(1.142625, within(1e-6));
        assertThat(state.get("w_after").get(1).asDouble()).isCloseTo(0.488, within(1e-6));
        assertThat(state.get("c_after")).isEqualTo(state.get("c_before"));
        assertThat(state.get("c_gradient_unwatched").asText()).isEqualTo("null");
        assertThat(state.get("c_gradient_watched").get(1).asDouble()).isCloseTo(-0.023424, within(1e-6));

        JsonNode persistent = variant(j, "persistent-tape");
        assertThat(persistent.get("dz_dx").asDouble()).isEqualTo(108.0);
        assertThat(persistent.get("dy_dx").asDouble()).isEqualTo(6.0);
        assertThat(persistent.get("second_call").asText()).contains("already used").contains("persistent()");

        JsonNode traced = variant(j, "eager-vs-traced");
        assertThat(traced.get("trace_count").asInt()).isEqualTo(1);
        assertThat(traced.get("bit_identical").asBoolean()).isTrue();
        assertThat(traced.get("final_cost").asDouble()).isEqualTo(0.06394698470830917);
        assertThat(traced.get("speed_up").asDouble()).isPositive();

        JsonNode frozen = variant(j, "frozen-branch");
        assertThat(frozen.get("traced_after_flag_true")).isEqualTo(frozen.get("traced_flag_false"));
        assertThat(frozen.get("eager_after_flag_true").get(1).asDouble()).isEqualTo(4.0);
        assertThat(frozen.get("traced_new_shape").get(2).asDouble()).isEqualTo(6.0);
        assertThat(frozen.get("trace_count").asInt()).isEqualTo(2);
    }
}
