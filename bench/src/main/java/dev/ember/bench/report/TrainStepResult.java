package dev.ember.bench.report;

import dev.ember.bench.TrainNetwork;

/**
 * One row of the training-step report: the median microseconds per step of one engine
 * ({@code ember}, {@code numpy}, {@code pytorch}) in one mode at one thread count: {@value #EAGER}
 * (operation by operation; the python baselines run so) or {@value #TRACED} (Ember's step recorded
 * once and replayed, {@code dev.ember.core.Tracing}). {@code backend} is the Ember backend's name,
 * {@code cpu} for the python baselines.
 */
public record TrainStepResult(TrainNetwork network, int threads, String engine, String mode, String backend,
                              double micros) {
    public static final String EMBER = "ember";
    public static final String EAGER = "eager";
    public static final String TRACED = "traced";

    public boolean isEmberEager() {
        return EMBER.equals(engine) && EAGER.equals(mode);
    }
}
