package dev.ember.core.spi;

/**
 * What a provider found when asked whether it can run here.
 *
 * @param available whether {@link BackendProvider#create()} will succeed
 * @param reason    why not (the real message: driver missing, no device, native library failed to
 *                  load), or a short note when available
 * @param device    the device that would be used, or an empty string
 * @param priority  rank for {@code auto} selection: higher wins. Convention: GPUs 100+, the native
 *                  CPU backend 50, an OpenCL CPU device 10.
 */
public record Probe(boolean available, String reason, String device, int priority) {
    public static Probe available(String device, int priority) {
        return new Probe(true, "available", device, priority);
    }

    public static Probe unavailable(String reason, int priority) {
        return new Probe(false, reason, "", priority);
    }
}
