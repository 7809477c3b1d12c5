package dev.ember.bench.report;

import dev.ember.bench.TrainNetwork;

/**
 * One row of the side-by-side training-step report: median microseconds per step of Ember and of
 * numpy, and {@code ratio = numpyMicros / emberMicros} (above 1: Ember is faster). The numpy figures
 * are NaN when the baseline could not run.
 */
public record TrainStepResult(TrainNetwork network, String backend, int threads, double emberMicros,
                              String baseline, double numpyMicros, double ratio) {
}
