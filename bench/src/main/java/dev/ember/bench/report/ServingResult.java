package dev.ember.bench.report;

/**
 * One row of the serving report: the median microseconds per call of one engine ({@code ember},
 * {@code numpy}, {@code pytorch}) through one API at one batch size and thread count. Ember's APIs
 * are {@code predictInto} and {@code predict} ({@link dev.ember.bench.ServingProblem.Api}); the python
 * baselines' is {@value #FORWARD}. {@code bytesPerCall} is what Ember allocated on the calling thread
 * per timed call, NaN for the baselines (or a JVM that cannot count it). {@code backend} is the Ember
 * backend's name, {@code cpu} for the python baselines.
 */
public record ServingResult(int batch, int threads, String engine, String api, String backend, double micros,
                            double bytesPerCall) {
    public static final String EMBER = "ember";
    public static final String NUMPY = "numpy";
    public static final String FORWARD = "forward";
}
