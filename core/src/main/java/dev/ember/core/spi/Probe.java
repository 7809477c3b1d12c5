package dev.ember.core.spi;

/**
 * What a provider found when asked whether it can run here.
 *
 * @param state    whether the backend can run, cannot run here, or could run but is configured wrongly
 * @param reason   why not (the real message: driver missing, no device, native library failed to
 *                 load, or the bad option with its value), or a short note when available
 * @param device   the device that would be used, or an empty string
 * @param priority rank for {@code auto} selection: higher wins. Convention: GPUs 100+, the native
 *                 CPU backend 50, an OpenCL CPU device 10.
 */
public record Probe(State state, String reason, String device, int priority) {
    /**
     * The three answers a probe can give. {@code UNAVAILABLE} means this machine cannot run the
     * backend (nothing the user set is wrong), so {@code auto} moves on to the next provider.
     * {@code MISCONFIGURED} means an option's default (its system property) is invalid: that is the
     * user's mistake, so {@code auto} and a request by name fail with it instead of choosing another
     * backend.
     */
    public enum State { AVAILABLE, UNAVAILABLE, MISCONFIGURED }

    /** Whether {@link BackendProvider#create()} will succeed. */
    public boolean available() {
        return state == State.AVAILABLE;
    }

    public static Probe available(String device, int priority) {
        return new Probe(State.AVAILABLE, "available", device, priority);
    }

    public static Probe unavailable(String reason, int priority) {
        return new Probe(State.UNAVAILABLE, reason, "", priority);
    }

    /** The configuration is invalid; {@code problem} is the message of the {@link InvalidOptionException}. */
    public static Probe misconfigured(String problem, int priority) {
        return new Probe(State.MISCONFIGURED, problem, "", priority);
    }
}
