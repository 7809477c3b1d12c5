package dev.ember.bench.report;

import dev.ember.bench.TrainNetwork;

/**
 * One row of the training-step report: the median microseconds per step of one engine
 * ({@code ember}, {@code numpy}, {@code pytorch}) in one mode at one thread count. Every engine
 * measured today runs eagerly, operation by operation, so {@code mode} is {@value #EAGER}.
 * {@code backend} is the Ember backend's name, {@code cpu} for the python baselines.
 */
public record TrainStepResult(TrainNetwork network, int threads, String engine, String mode, String backend,
                              double micros) {
    public static final String EMBER = "ember";
    public static final String EAGER = "eager";

    public boolean isEmberEager() {
        return EMBER.equals(engine) && EAGER.equals(mode);
    }
}
